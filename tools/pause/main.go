// The sandbox ("pause") image of the local cluster (packages/devstack/src/cluster): containerd
// keeps every pod's network namespace alive with a process that does nothing. The upstream
// registry.k8s.io/pause is not reachable from here, so this is built from source: sleep until
// SIGTERM or SIGINT, then exit 0 so the kubelet's stop is immediate.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	<-stop
}
