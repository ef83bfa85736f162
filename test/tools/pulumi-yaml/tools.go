//go:build tools

// Keeps the language host's package in this module's build list so `go mod tidy` pins what
// test/tools/build.sh builds.
package tools

import (
	_ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
)
