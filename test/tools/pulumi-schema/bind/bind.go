// Package bind reads a Pulumi package schema and binds it the way the Pulumi CLI does, with no
// other package to load: the components' schema must stand on its own.
package bind

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/contract"
)

// noLoader refuses every other package.
type noLoader struct{}

func (noLoader) LoadPackage(pkg string, version *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema references package %q, which is not loaded here", pkg)
}

func (noLoader) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema references package %q, which is not loaded here", d.Name)
}

// File binds the schema in file. Diagnostics come back whether or not binding failed; the error
// says why it did (reading, parsing, or a diagnostic of severity error).
func File(file string, opts schema.ValidationOptions) (*schema.Package, []string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	pkg, diags, err := schema.BindSpec(spec, noLoader{}, opts)
	var lines []string
	for _, d := range diags {
		lines = append(lines, fmt.Sprint(d.Severity, " ", d.Summary, " ", d.Detail))
	}
	if err == nil && diags.HasErrors() {
		err = fmt.Errorf("%s: the schema has errors", file)
	}
	if err != nil {
		return nil, lines, err
	}
	contract.Assertf(pkg != nil, "BindSpec returned no package and no error")
	return pkg, lines, nil
}
