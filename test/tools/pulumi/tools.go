//go:build tools

// Keeps the CLI's package in this module's build list so `go mod tidy` pins what
// test/tools/build.sh builds.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
