#!/usr/bin/env bash
# `npm run test:k8s`: the product where its users run it. Builds the four images (npm run images),
# brings the local single-node Kubernetes up (npm run cluster), copies the images into its
# containerd, and runs jest's `k8s` project inside the node's network namespace: the cluster smoke
# test, each image started with the chart's pod settings, and the chart installed for real
# (test/k8s). The cluster goes down at the end, whatever happened.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-tools.sh cluster
began=$SECONDS
# The images the chart deploys with the values test/k8s installs it with. The operations console is
# off there as in the chart's defaults (opsConsole.enabled): the project's own Kafka has no
# ops-console KafkaUser, so its image is not built for the node.
export SERVICES="order-service inventory-service payment-service notification-service"
bash tools/images/build.sh
mapfile -t images < <(bash tools/images/build.sh --list)
echo "test:k8s: images built in $((SECONDS - began)) s"

cluster() { npx tsx packages/devstack/src/cluster/cli.ts "$@"; }
trap 'cluster down' EXIT
cluster up
cluster load "${images[@]}"
cluster exec -- env CONTAINERS_CONF="$PWD/.tools/podman/containers.conf" \
  npx jest --selectProjects k8s --runInBand --forceExit "$@"
