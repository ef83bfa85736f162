//go:build tools

// Keeps kube-router's command in this module's build list so `go mod tidy` pins what
// test/tools/build.sh builds.
package tools

import _ "github.com/cloudnativelabs/kube-router/v2/cmd/kube-router"
