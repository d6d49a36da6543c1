#!/usr/bin/env bash
# build-image.sh BINARY IMAGE OUT.tar
# An image holding one static binary as its entrypoint, and nothing else (no base image: Docker
# Hub is not reachable here). podman makes and saves it, so it is also a podman image that
# `npm run cluster -- load IMAGE` can copy; OUT.tar is what `up` imports into containerd.
set -euo pipefail
bin=$1 image=$2 out=$3
name="$(basename "$bin")"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/root"
cp "$bin" "$dir/root/$name"
tar -C "$dir/root" -cf "$dir/rootfs.tar" .
podman import --quiet --change "ENTRYPOINT [\"/$name\"]" "$dir/rootfs.tar" "$image" >/dev/null
mkdir -p "$(dirname "$out")"
rm -f "$out"
podman save --quiet -o "$out" "$image"
