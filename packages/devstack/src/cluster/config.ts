import path from 'node:path';

/**
 * Names, addresses and paths of the local cluster. Everything network-facing lives inside one
 * network namespace that `up` creates: these private ranges exist only there (no veth to the
 * host, no default route), so nothing the cluster does can reach another machine.
 */

const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** The network namespace (/var/run/netns/NAME) holding the node, its pods and services. */
export const NETNS = 'kshop';
export const NETNS_PATH = `/var/run/netns/${NETNS}`;

/** The node's address, on bridge br0 inside the namespace (the kubelet refuses loopback). */
export const NODE_IP = '10.250.0.1';
export const NODE_PREFIX = 24;
/** Fixed so the node's name does not depend on the machine's host name. */
export const NODE_NAME = 'kshop-node';

/** Pods get addresses from the CNI bridge cni0 (host-local IPAM, one /24 for the one node). */
export const POD_CIDR = '10.251.0.0/16';
export const POD_SUBNET = '10.251.0.0/24';
export const POD_GATEWAY = '10.251.0.1';

/** Services; the first address is the `kubernetes` Service, DNS_IP the kube-dns Service. */
export const SERVICE_CIDR = '10.252.0.0/16';
export const KUBERNETES_SERVICE_IP = '10.252.0.1';
export const DNS_IP = '10.252.0.10';
export const CLUSTER_DOMAIN = 'cluster.local';

/** Ports inside the namespace (its own port space, so the usual ones are free). */
export const PORTS = { etcd: 2379, etcdPeer: 2380, apiserver: 6443 };

/** Binaries from scripts/ensure-tools.sh (tools/kube-apiserver, tools/coredns). */
export const KUBE_BIN = path.join(REPO_ROOT, '.tools/kube/bin');
/** Image tars ensure-tools builds (pause, CoreDNS, the smoke server). */
export const IMAGE_DIR = path.join(REPO_ROOT, '.tools/cluster');
/** Debian's containernetworking-plugins. */
export const CNI_BIN_DIR = '/usr/lib/cni';
export const RUNC = '/usr/sbin/runc';

export const IMAGES = {
  pause: { name: 'localhost/kshop/pause:1', tar: path.join(IMAGE_DIR, 'pause.tar') },
  coredns: { name: 'localhost/kshop/coredns:v1.12.4', tar: path.join(IMAGE_DIR, 'coredns.tar') },
  smoke: {
    name: 'localhost/kshop/cluster-smoke:1',
    tar: path.join(IMAGE_DIR, 'cluster-smoke.tar'),
  },
};

/** All state (certs, configs, etcd data, containerd and kubelet roots, logs, pids): `down` removes it. */
export const STATE_DIR = process.env.KSHOP_CLUSTER_DIR ?? path.join(REPO_ROOT, '.cluster');

export const paths = {
  pki: path.join(STATE_DIR, 'pki'),
  config: path.join(STATE_DIR, 'config'),
  logs: path.join(STATE_DIR, 'logs'),
  pids: path.join(STATE_DIR, 'pids'),
  etcd: path.join(STATE_DIR, 'etcd'),
  containerdRoot: path.join(STATE_DIR, 'containerd/root'),
  containerdState: path.join(STATE_DIR, 'containerd/state'),
  containerdSock: path.join(STATE_DIR, 'containerd/containerd.sock'),
  cniConf: path.join(STATE_DIR, 'cni/net.d'),
  cniIpam: path.join(STATE_DIR, 'cni/ipam'),
  kubeletRoot: path.join(STATE_DIR, 'kubelet'),
  podLogs: path.join(STATE_DIR, 'pod-logs'),
  /** The admin kubeconfig users and tests get (valid inside the namespace only). */
  kubeconfig: path.join(STATE_DIR, 'admin.kubeconfig'),
  /** cni-* namespaces that existed before `up`: `down` must not touch them. */
  netnsBefore: path.join(STATE_DIR, 'netns-before'),
};

export const NETNS_SCRIPT = path.join(__dirname, 'netns.sh');
