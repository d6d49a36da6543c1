#!/usr/bin/env bash
# `npm run images`: builds the four service images with podman from the unchanged Dockerfile, as
# localhost/kafka-shop-<service>:<tag> (tag: the chart's appVersion, or the first argument).
# `--list` prints the image names it builds, and builds nothing.
# Makes the base image first where Docker Hub is out of reach (base-image.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$here/podman.sh"
cd "$root"

list=
if [ "${1:-}" = --list ]; then list=1; shift; fi
tag="${1:-$(sed -n "s/^appVersion: *'\{0,1\}\([^']*\)'\{0,1\}$/\1/p" charts/kafka-shop/Chart.yaml)}"
services="${SERVICES:-$(for d in services/*/src/main.ts; do d="${d#services/}"; echo "${d%%/*}"; done)}"

if [ -n "$list" ]; then # the image names only, for scripts
  for service in $services; do echo "localhost/kafka-shop-$service:$tag"; done
  exit 0
fi

bash "$here/base-image.sh"


for service in $services; do
  began=$SECONDS
  image="localhost/kafka-shop-$service:$tag"
  podman build --quiet --network host "${NPM_CA_SECRET[@]}" --build-arg "SERVICE=$service" \
    --tag "$image" --file Dockerfile . >/dev/null
  size="$(podman image inspect --format '{{.Size}}' "$image")"
  echo "built $image: $((size / 1000000)) MB in $((SECONDS - began)) s"
done
