//go:build tools

// Keeps in this module's build list what `prepare` and test/tools/build.sh compile: the
// provider's packages (imported by its main package, which `prepare` copies in) and the
// schema package its generate.go imports, so `go mod tidy` pins them.
package tools

import (
	_ "github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	_ "github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
	_ "github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)
