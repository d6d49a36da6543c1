#!/usr/bin/env bash
# skaffold `after` build hook of profile `local-node`: copies the image just built into the local
# node's containerd (`npm run cluster -- load`), there being no registry.
# skaffold deploys not SKAFFOLD_IMAGE but NAME:<image id> (a tag it adds after the build, by the
# Docker API), and the kubelet looks a short name up as docker.io/library/NAME: so that is the
# name loaded. Runs inside the cluster's network namespace, like skaffold.
set -euo pipefail
: "${SKAFFOLD_IMAGE:?set by skaffold for build hooks}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$root/tools/images/podman.sh"
id="$(podman image inspect --format '{{.Id}}' "$SKAFFOLD_IMAGE")"
id="${id#sha256:}"
name="${SKAFFOLD_IMAGE%:*}"
case "${name%%/*}" in
  *.*|*:*|localhost) full="$name" ;;                      # has a registry already
  *) if [ "${name#*/}" = "$name" ]; then full="docker.io/library/$name"; else full="docker.io/$name"; fi ;;
esac
podman tag "$id" "$full:$id"
cd "$root"
npm run --silent cluster -- load "$full:$id"
