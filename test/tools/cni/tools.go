//go:build tools

// Keeps the plugins' packages in this module's build list so `go mod tidy` pins what
// test/tools/build.sh builds.
package tools

import (
	_ "github.com/containernetworking/plugins/plugins/ipam/host-local"
	_ "github.com/containernetworking/plugins/plugins/main/bridge"
	_ "github.com/containernetworking/plugins/plugins/main/loopback"
)
