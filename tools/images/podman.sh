#!/usr/bin/env bash
# Runs podman with the settings this kind of machine needs, kept in the project (not in /etc):
# Debian's runc (crun refuses hybrid cgroups), cgroupfs (no systemd), and file/process limits
# this root may keep (it lacks CAP_SYS_RESOURCE, so podman's raised defaults fail setrlimit).
# Sourced by the image scripts; `CONTAINERS_CONF` makes podman's API socket (skaffold) use them too.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
conf_dir="$root/.tools/podman"
mkdir -p "$conf_dir"
cat >"$conf_dir/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
[engine.runtimes]
runc = ["/usr/sbin/runc"]
CONF
export CONTAINERS_CONF="$conf_dir/containers.conf"

# A registry behind a TLS-inspecting proxy needs its CA inside the build: the Dockerfile reads it
# as the build secret `npm-ca` when there is one (`podman build "${NPM_CA_SECRET[@]}" ...`).
NPM_CA_SECRET=()
npm_cafile="$(npm config get cafile 2>/dev/null || true)"
if [ -n "$npm_cafile" ] && [ "$npm_cafile" != null ] && [ -f "$npm_cafile" ]; then
  NPM_CA_SECRET=(--secret "id=npm-ca,src=$npm_cafile")
fi
