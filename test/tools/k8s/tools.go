//go:build tools

// Keeps the binaries' packages in this module's build list so `go mod tidy` pins what
// test/tools/build.sh builds.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
)
