// CoreDNS for the local cluster (packages/devstack/src/cluster), pinned in go.mod. Upstream's main
// links every plugin (core/plugin/zplugin.go: cloud DNS providers, etcd, forward, ...). The cluster
// needs only the kubernetes plugin and a few helpers; leaving the rest out keeps the build short and
// makes sure no Corefile can forward queries out of the cluster's network namespace.
package main

import (
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/ready"

	"github.com/coredns/coredns/coremain"
)

func main() {
	coremain.Run()
}
