// etcd at the release kube-apiserver 1.36.3 is built and tested against (its go.mod pins
// go.etcd.io/etcd/server/v3 v3.6.8). Debian's etcd 3.4.23 serves the API server, but lacks
// the watch progress notifications 1.36's watch cache needs: a watch on a quiet resource
// then fails with "Too large resource version".
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
