#!/usr/bin/env bash
# skaffold's `custom` builder for the local node (profile `local-node` in skaffold.yaml):
#   buildCommand: bash tools/skaffold/build-image.sh SERVICE
# skaffold sets IMAGE (name:tag) and BUILD_CONTEXT. Builds the unchanged Dockerfile as
# tools/images/build.sh does, with the npm CA as a build secret, which skaffold's `docker` builder
# cannot pass through podman's Docker API (it needs BuildKit; podman 4.3 has none).
# skaffold runs inside the cluster's network namespace (no route out), so the build goes to the
# podman API service on the host (PODMAN_URL, unix:///tmp/podman.sock by default) with
# `podman --remote`: that service reaches the npm registry, and it is the same image store that
# skaffold's DOCKER_HOST points at, so skaffold finds and tags the image afterwards.
set -euo pipefail
service="${1:?usage: build-image.sh SERVICE (IMAGE from skaffold)}"
: "${IMAGE:?IMAGE is set by skaffold}"
url="${PODMAN_URL:-${DOCKER_HOST:-unix:///tmp/podman.sock}}"
source "$(cd "$(dirname "$0")" && pwd)/../images/podman.sh" # NPM_CA_SECRET
cd "${BUILD_CONTEXT:-.}"

podman --remote --url "$url" build --network host "${NPM_CA_SECRET[@]}" --build-arg "SERVICE=$service" \
  --tag "$IMAGE" --file Dockerfile .
if [ "${PUSH_IMAGE:-false}" = true ]; then
  podman --remote --url "$url" push "$IMAGE"
fi
