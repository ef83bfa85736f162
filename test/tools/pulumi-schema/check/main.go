// pulumi-schema-check SCHEMA.json: binds a Pulumi package schema the way `pulumi package gen-sdk` does and prints every
// diagnostic; exits 1 when any is an error.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// noLoader refuses every other package: the schema must stand on its own.
type noLoader struct{}

func (noLoader) LoadPackage(pkg string, version *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema references package %q, which this check does not load", pkg)
}

func (noLoader) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema references package %q, which this check does not load", d.Name)
}

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	pkg, diags, err := schema.BindSpec(spec, noLoader{}, schema.ValidationOptions{AllowDanglingReferences: false})
	for _, d := range diags {
		fmt.Println(d.Severity, d.Summary, d.Detail)
	}
	if err != nil || diags.HasErrors() {
		fmt.Fprintln(os.Stderr, "invalid:", err)
		os.Exit(1)
	}
	fmt.Printf("valid: %s %s, %d resources, %d types\n", pkg.Name, pkg.Version, len(pkg.Resources), len(pkg.Types))
}
