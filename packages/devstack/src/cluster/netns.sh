#!/usr/bin/env bash
# The cluster's network namespace. Bash because it is a list of `ip` commands.
#   netns.sh create NAME NODE_IP/PREFIX SERVICE_CIDR
#   netns.sh delete NAME [KEEP_FILE]   also deletes cni-* namespaces not listed in KEEP_FILE
#   netns.sh list-cni                  the cni-* namespaces that exist now
# Nothing here connects the namespace to the host: no veth out, no default route. Only br0 (the
# node's address) and, once pods run, the CNI bridge with the pods' veths exist inside it.
set -euo pipefail

in_ns() { nsenter --net="/var/run/netns/$1" -- "${@:2}"; }

case "$1" in
  create)
    name=$2 node=$3 services=$4
    ip netns add "$name"
    in_ns "$name" ip link set lo up
    in_ns "$name" ip link add br0 type bridge
    in_ns "$name" ip addr add "$node" dev br0
    in_ns "$name" ip link set br0 up
    # The namespace itself (kubectl port-forward, tests, the kubelet's probes) reaches Service
    # ClusterIPs through kube-proxy's OUTPUT rules; the kernel needs a route before those run.
    # br0 has no other end, so this route cannot lead out of the namespace.
    in_ns "$name" ip route add "$services" dev br0 src "${node%/*}"
    # kube-proxy's DNAT must see pod-to-pod traffic that crosses the CNI bridge, or replies from
    # a Service's backend on the same bridge skip the reverse NAT.
    in_ns "$name" sysctl -qw net.bridge.bridge-nf-call-iptables=1 || true
    in_ns "$name" sysctl -qw net.ipv4.ip_forward=1
    ;;
  delete)
    name=$2 keep=${3:-/dev/null}
    for ns in $(ip netns list | awk '{print $1}' | grep '^cni-' || true); do
      grep -qx "$ns" "$keep" 2>/dev/null || ip netns delete "$ns" || true
    done
    if [ -e "/var/run/netns/$name" ]; then ip netns delete "$name"; fi
    ;;
  list-cni)
    ip netns list | awk '{print $1}' | grep '^cni-' || true
    ;;
  *)
    echo "usage: netns.sh create|delete|list-cni ..." >&2
    exit 2
    ;;
esac
