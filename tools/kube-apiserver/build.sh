#!/usr/bin/env bash
# Builds kube-apiserver, kubectl and etcd (etcd/main.go) at the versions go.mod pins into the
# directory given (default: <repo>/.tools/kube/bin). Needs the Go module proxy only the first
# time; afterwards everything comes from the module cache.
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
nice -n 10 go build -buildvcs=false -ldflags "$ldflags" -o "$out/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl ./etcd
