// pulumi-gen-go SCHEMA.json OUT: writes the Go SDK of a Pulumi package schema into OUT, as
// `pulumi package add <package>` does for a Go program: the schema bound as the CLI binds it
// (pkg/v3 cmd/pulumi/packages: dangling references allowed, SupportPack on, so the SDK is a Go
// module of its own) and the files of Pulumi's Go code generator (pkg/v3 codegen/go
// GeneratePackage), which the Go language host's GeneratePackage runs. That host is not served
// by the Go module proxy, so `pulumi package gen-sdk --language go` cannot run here.
// Prints the SDK's module path and its root package's import path as JSON.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"sandbox-clusters/test/tools/pulumi-schema/bind"
)

func fail(err error) {
	fmt.Fprintln(os.Stderr, "pulumi-gen-go:", err)
	os.Exit(1)
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: pulumi-gen-go SCHEMA.json OUT")
		os.Exit(2)
	}
	pkg, diags, err := bind.File(os.Args[1], schema.ValidationOptions{AllowDanglingReferences: true})
	for _, d := range diags {
		fmt.Fprintln(os.Stderr, d)
	}
	if err != nil {
		fail(err)
	}
	pkg.SupportPack = true
	files, err := gogen.GeneratePackage("pulumi-language-go", pkg, nil)
	if err != nil {
		fail(err)
	}
	module, importPath, err := gogen.ModuleAndImportPath(pkg)
	if err != nil {
		fail(err)
	}
	for name, content := range files {
		p := filepath.Join(os.Args[2], name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			fail(err)
		}
		if err := os.WriteFile(p, content, 0o644); err != nil {
			fail(err)
		}
	}
	out, _ := json.Marshal(map[string]any{"files": len(files), "module": module, "import": importPath})
	fmt.Println(string(out))
}
