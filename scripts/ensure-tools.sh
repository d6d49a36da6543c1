#!/usr/bin/env bash
# Installs what `npm start` (runtime) or `npm test` (test) needs and a fresh machine lacks:
# npm dependencies, Java and Maven for Kafka, for the tests promtool, helm and a kube-apiserver
# with kubectl and etcd, and toxiproxy for the tests and `npm run chaos`. `images` adds what
# `npm run images` needs (podman, debootstrap), `cluster` that and what `npm run cluster` (a local
# single-node Kubernetes, packages/devstack/src/cluster) needs.
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
  [ -n "$apt_updated" ] || { apt-get -o DPkg::Lock::Timeout=600 update -qq; apt_updated=1; }
  # Another apt may hold the dpkg lock (unattended upgrades, a second terminal): wait for it.
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$@" >/dev/null
}

[ -d node_modules/.bin ] || npm ci --no-audit --no-fund
command -v java >/dev/null || apt_install openjdk-17-jre-headless
command -v mvn >/dev/null || apt_install maven

gobin="$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin"
if [ "$need" = test ] || [ "$need" = chaos ]; then
  # toxiproxy puts network faults between the services and Kafka/PostgreSQL (binary: `server`).
  [ -x "$gobin/server" ] || go install github.com/Shopify/toxiproxy/v2/cmd/server@v2.12.0
fi

# Kubernetes from the pins of tools/kube-apiserver. Compiling it takes minutes, so each set is
# rebuilt only when its pins, its script or Go change (a stamp per set under .tools/kube).
kube=tools/kube-apiserver
kube_bin=.tools/kube/bin
kube_build() { # SET STAMP BINARIES...
  local set=$1 stamp=$2 hash b missing=
  shift 2
  command -v go >/dev/null || { echo "ensure-tools: Go >= 1.26 is needed to build $kube" >&2; exit 1; }
  hash="$( (go version && cat "$kube/go.mod" "$kube/go.sum" "$kube/build.sh" "$kube/etcd/main.go") | sha256sum)"
  for b in "$@"; do [ -x "$kube_bin/$b" ] || missing=1; done
  if [ "$(cat "$stamp" 2>/dev/null)" != "$hash" ] || [ -n "$missing" ]; then
    echo "ensure-tools: building $* from $kube (minutes the first time)"
    local began=$SECONDS
    bash "$kube/build.sh" "$kube_bin" "$set" || { echo "ensure-tools: building $kube ($set) failed" >&2; exit 1; }
    echo "$hash" >"$stamp"
    echo "ensure-tools: built $* in $((SECONDS - began)) s"
  fi
}
# A real kube-apiserver (with etcd and kubectl) dry-runs the manifests server-side.
build_kube_apiserver() { kube_build apiserver .tools/kube/stamp kube-apiserver kubectl etcd; }

if [ "$need" = test ]; then
  # promtool tests the generated alert rules; prometheus runs them live in the monitoring tests.
  command -v promtool >/dev/null || apt_install --no-install-recommends prometheus
  # The operations console's browser tests drive Debian's chromium through playwright-core
  # (Playwright's own browser download is not reachable everywhere).
  [ -x /usr/bin/chromium ] || apt_install --no-install-recommends chromium
  # helm lints and renders the chart; Go builds it from the module proxy.
  command -v helm >/dev/null || [ -x "$gobin/helm" ] || go install helm.sh/helm/v3/cmd/helm@v3.22.0

  build_kube_apiserver
fi

if [ "$need" = images ] || [ "$need" = cluster ]; then
  # podman (with Debian's runc) builds the images; debootstrap makes their base where Docker Hub
  # is out of reach (tools/images/base-image.sh).
  for c in podman:podman runc:runc debootstrap:debootstrap; do
    PATH="$PATH:/usr/sbin:/sbin" command -v "${c%%:*}" >/dev/null || apt_install "${c#*:}"
  done
fi

if [ "$need" = cluster ]; then
  # The node's runtime and network: Debian's containerd 1.6 + runc, the CNI plugins (in
  # /usr/lib/cni), iptables for kube-proxy, conntrack for its UDP clean-up.
  for c in containerd:containerd iptables:iptables conntrack:conntrack \
    nsenter:util-linux ip:iproute2 openssl:openssl; do
    PATH="$PATH:/usr/sbin:/sbin" command -v "${c%%:*}" >/dev/null || apt_install "${c#*:}"
  done
  [ -x /usr/lib/cni/bridge ] || apt_install containernetworking-plugins

  build_kube_apiserver
  kube_build node .tools/kube/stamp-node kubelet kube-controller-manager kube-scheduler kube-proxy

  # CoreDNS (tools/coredns pins it), the sandbox image and the smoke server: static binaries, each
  # alone in an image tar that `up` (or the smoke test) imports into the node's containerd.
  mkdir -p .tools/cluster
  images="$( (go version && cat tools/coredns/go.mod tools/coredns/go.sum tools/coredns/main.go \
    tools/pause/main.go tools/cluster-smoke/main.go packages/devstack/src/cluster/build-image.sh) | sha256sum)"
  if [ "$(cat .tools/cluster/stamp 2>/dev/null)" != "$images" ] || ! [ -f .tools/cluster/coredns.tar ] ||
    ! [ -f .tools/cluster/pause.tar ] || ! [ -f .tools/cluster/cluster-smoke.tar ]; then
    echo "ensure-tools: building CoreDNS, pause and cluster-smoke images"
    for t in coredns pause cluster-smoke; do
      (cd "tools/$t" && CGO_ENABLED=0 nice -n 10 go build -buildvcs=false -trimpath -ldflags '-s -w' -o "../../$kube_bin/$t" .)
    done
    img=packages/devstack/src/cluster/build-image.sh
    bash "$img" "$kube_bin/pause" localhost/kshop/pause:1 .tools/cluster/pause.tar
    bash "$img" "$kube_bin/coredns" localhost/kshop/coredns:v1.12.4 .tools/cluster/coredns.tar
    bash "$img" "$kube_bin/cluster-smoke" localhost/kshop/cluster-smoke:1 .tools/cluster/cluster-smoke.tar
    echo "$images" >.tools/cluster/stamp
  fi
fi
