// pulumi-schema-check SCHEMA.json: binds a Pulumi package schema the way `pulumi package gen-sdk` does and prints every
// diagnostic; exits 1 when any is an error.
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"sandbox-clusters/test/tools/pulumi-schema/bind"
)

func main() {
	pkg, diags, err := bind.File(os.Args[1], schema.ValidationOptions{AllowDanglingReferences: false})
	for _, d := range diags {
		fmt.Println(d)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "invalid:", err)
		os.Exit(1)
	}
	fmt.Printf("valid: %s %s, %d resources, %d types\n", pkg.Name, pkg.Version, len(pkg.Resources), len(pkg.Types))
}
