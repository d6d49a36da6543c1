#!/usr/bin/env bash
# Builds kube-apiserver, kubectl and etcd (etcd/main.go) at the versions go.mod pins into the
# directory given (default: <repo>/.tools/kube/bin). Needs the Go module proxy only the first
# time; afterwards everything comes from the module cache.
#   build.sh [OUT]        kube-apiserver, kubectl, etcd (the server-side dry-run of the chart)
#   build.sh OUT node     kubelet, kube-controller-manager, kube-scheduler, kube-proxy from the
#                         same pins (the local cluster, packages/devstack/src/cluster)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(mkdir -p "${1:-$here/../../.tools/kube/bin}" && cd "${1:-$here/../../.tools/kube/bin}" && pwd)"
cd "$here"

kube="$(go list -m -f '{{.Version}}' k8s.io/kubernetes)" # e.g. v1.36.3
minor="${kube#v1.}"
minor="${minor%%.*}"
# Built from module sources, the binaries would report v0.0.0-master+$Format:%H$, which kubectl
# refuses to parse as a server version; stamp the version Git would have.
v=k8s.io/component-base/version
ldflags="-s -w -X $v.gitVersion=$kube -X $v.gitMajor=1 -X $v.gitMinor=$minor -X $v.gitTreeState=clean"
ldflags="$ldflags -X k8s.io/client-go/pkg/version.gitVersion=$kube"

# -buildvcs=false: the repository's commit says nothing about these binaries, and git may refuse
# to report on a checkout owned by another user (CI). nice: on a developer machine the ~7 min
# compile should not starve editors and running tests; on an idle CI runner it costs nothing.
case "${2:-apiserver}" in
  apiserver) pkgs=(k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl ./etcd) ;;
  node)
    pkgs=(k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-controller-manager
      k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kube-proxy)
    ;;
  *) echo "build.sh: unknown set '$2' (apiserver or node)" >&2; exit 2 ;;
esac
nice -n 10 go build -buildvcs=false -ldflags "$ldflags" -o "$out/" "${pkgs[@]}"
