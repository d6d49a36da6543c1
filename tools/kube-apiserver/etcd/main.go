// A single-member etcd for a throwaway kube-apiserver. etcd publishes no installable main at the
// version Kubernetes pins (its etcd binary is a separate module with its own dependency versions),
// so this wraps the embed package that kube-apiserver's own integration tests use.
package main

import (
	"flag"
	"log"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
)

func main() {
	dataDir := flag.String("data-dir", "default.etcd", "data directory")
	clientURL := flag.String("client-url", "http://127.0.0.1:2379", "client listen/advertise URL")
	peerURL := flag.String("peer-url", "http://127.0.0.1:2380", "peer listen/advertise URL")
	flag.Parse()

	cu, err := url.Parse(*clientURL)
	if err != nil {
		log.Fatal(err)
	}
	pu, err := url.Parse(*peerURL)
	if err != nil {
		log.Fatal(err)
	}
	cfg := embed.NewConfig()
	cfg.Name = "default"
	cfg.Dir = *dataDir
	cfg.ListenClientUrls = []url.URL{*cu}
	cfg.AdvertiseClientUrls = []url.URL{*cu}
	cfg.ListenPeerUrls = []url.URL{*pu}
	cfg.AdvertisePeerUrls = []url.URL{*pu}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.LogLevel = "warn"

	e, err := embed.StartEtcd(cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer e.Close()
	select {
	case <-e.Server.ReadyNotify():
		log.Printf("etcd ready at %s", cu)
	case <-time.After(60 * time.Second):
		e.Server.Stop()
		log.Fatal("etcd took too long to start")
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	select {
	case err := <-e.Err():
		log.Fatal(err)
	case s := <-sig:
		log.Printf("got %v, stopping", s)
	}
}
