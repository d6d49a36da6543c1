#!/usr/bin/env bash
# Installs what `npm start` (runtime) or `npm test` (test) needs and a fresh machine lacks:
# npm dependencies, Java and Maven for Kafka, for the tests promtool, helm and a kube-apiserver
# with kubectl and etcd, and toxiproxy for the tests and `npm run chaos`.
# Idempotent and quiet when everything is there. Debian packages need root (CI runs as root).
set -euo pipefail
cd "$(dirname "$0")/.."
need="${1:-runtime}"

apt_updated=
apt_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "ensure-tools: please install Debian packages: $*" >&2
    exit 1
  fi
  [ -n "$apt_updated" ] || { apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

[ -d node_modules/.bin ] || npm ci --no-audit --no-fund
command -v java >/dev/null || apt_install openjdk-17-jre-headless
command -v mvn >/dev/null || apt_install maven

gobin="$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin"
if [ "$need" = test ] || [ "$need" = chaos ]; then
  # toxiproxy puts network faults between the services and Kafka/PostgreSQL (binary: `server`).
  [ -x "$gobin/server" ] || go install github.com/Shopify/toxiproxy/v2/cmd/server@v2.12.0
fi

if [ "$need" = test ]; then
  # promtool tests the generated alert rules; prometheus runs them live in the monitoring tests.
  command -v promtool >/dev/null || apt_install --no-install-recommends prometheus
  # helm lints and renders the chart; Go builds it from the module proxy.
  command -v helm >/dev/null || [ -x "$gobin/helm" ] || go install helm.sh/helm/v3/cmd/helm@v3.22.0

  # A real kube-apiserver (with etcd and kubectl) dry-runs the manifests server-side. Compiling
  # Kubernetes takes minutes, so the build is redone only when its pins, its script or Go change.
  kube=tools/kube-apiserver
  kube_bin=.tools/kube/bin
  command -v go >/dev/null || { echo "ensure-tools: Go >= 1.26 is needed to build $kube" >&2; exit 1; }
  kube_hash="$( (go version && cat "$kube/go.mod" "$kube/go.sum" "$kube/build.sh" "$kube/etcd/main.go") | sha256sum)"
  if [ "$(cat .tools/kube/stamp 2>/dev/null)" != "$kube_hash" ] ||
    ! [ -x "$kube_bin/kube-apiserver" ] || ! [ -x "$kube_bin/kubectl" ] || ! [ -x "$kube_bin/etcd" ]; then
    echo "ensure-tools: building kube-apiserver, kubectl and etcd from $kube (minutes the first time)"
    began=$SECONDS
    bash "$kube/build.sh" "$kube_bin" || { echo "ensure-tools: building $kube failed" >&2; exit 1; }
    echo "$kube_hash" >.tools/kube/stamp
    echo "ensure-tools: built kube-apiserver, kubectl and etcd in $((SECONDS - began)) s"
  fi
fi
