import fs from 'node:fs';
import path from 'node:path';
import {
  CLUSTER_DOMAIN,
  CNI_BIN_DIR,
  DNS_IP,
  IMAGES,
  NODE_IP,
  NODE_NAME,
  POD_CIDR,
  POD_GATEWAY,
  POD_SUBNET,
  RUNC,
  paths,
} from './config';
import { kubeconfigPath } from './kubeconfig';
import { pki } from './pki';

/** Configuration files of containerd, CNI, the kubelet and kube-proxy; each setting says why. */

export const files = {
  containerd: path.join(paths.config, 'containerd.toml'),
  kubelet: path.join(paths.config, 'kubelet.yaml'),
  kubeProxy: path.join(paths.config, 'kube-proxy.yaml'),
  cni: path.join(paths.cniConf, '10-kshop.conflist'),
};

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

export function writeContainerdConfig(): void {
  write(
    files.containerd,
    `version = 2
root = "${paths.containerdRoot}"
state = "${paths.containerdState}"

[grpc]
  address = "${paths.containerdSock}"

# Off: a second containerd on the machine must not collide on the default paths.
[ttrpc]
  address = ""
[debug]
  address = ""

[plugins."io.containerd.grpc.v1.cri"]
  # Not the unreachable registry.k8s.io/pause: tools/pause, imported by \`up\`.
  sandbox_image = "${IMAGES.pause.name}"
  # This root has no CAP_SYS_RESOURCE: without it every sandbox fails with "runc create failed:
  # can't get final child's PID from pipe: EOF" (lowering oom_score_adj is refused).
  restrict_oom_score_adj = true
  # Only on the namespace's loopback; the kubelet proxies exec/logs/port-forward to it.
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  # Pod network namespaces under the state dir rather than /var/run/netns/cni-*: the cluster's down then
  # finds them with the other mounts there, and never confuses them with someone else's.
  netns_mounts_under_state_dir = true

[plugins."io.containerd.grpc.v1.cri".containerd]
  default_runtime_name = "runc"
  snapshotter = "overlayfs"

[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"

[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
  BinaryName = "${RUNC}"
  # The kubelet runs with cgroupDriver cgroupfs (no systemd here).
  SystemdCgroup = false

# Debian's plugins live in /usr/lib/cni, not /opt/cni/bin; the config is ours alone (podman's
# package drops its own into /etc/cni/net.d).
[plugins."io.containerd.grpc.v1.cri".cni]
  bin_dir = "${CNI_BIN_DIR}"
  conf_dir = "${paths.cniConf}"
  max_conf_num = 1
`,
  );
}

/** Pods on bridge cni0 inside the namespace; host-local keeps its leases in the state dir. */
export function writeCniConfig(): void {
  const conf = {
    cniVersion: '0.4.0',
    name: 'kshop',
    plugins: [
      {
        type: 'bridge',
        bridge: 'cni0',
        isGateway: true,
        // No ipMasq: pods have nowhere to go but the namespace, nothing to masquerade for.
        ipMasq: false,
        // A pod reaching its own Service's ClusterIP and being picked as the backend.
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: POD_SUBNET, gateway: POD_GATEWAY }]],
          routes: [{ dst: '0.0.0.0/0' }],
          dataDir: paths.cniIpam,
        },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
      { type: 'loopback' },
    ],
  };
  write(files.cni, `${JSON.stringify(conf, null, 2)}\n`);
}

export function writeKubeletConfig(): void {
  write(
    files.kubelet,
    `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
containerRuntimeEndpoint: unix://${paths.containerdSock}
address: ${NODE_IP}
# No systemd, hybrid cgroups (v1 controllers): cgroupfs, no QoS hierarchy, v1 only warned about.
cgroupDriver: cgroupfs
failCgroupV1: false
cgroupsPerQOS: false
enforceNodeAllocatable: []
failSwapOn: false
# Pods resolve through CoreDNS only; no host resolv.conf, whose servers are outside the namespace.
clusterDNS: [${DNS_IP}]
clusterDomain: ${CLUSTER_DOMAIN}
resolvConf: ""
podLogsDir: ${paths.podLogs}
staticPodPath: ""
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: ${pki.caCert}}
authorization:
  mode: Webhook
# Healthz on the namespace's loopback (default port 10248).
healthzBindAddress: 127.0.0.1
readOnlyPort: 0
# A laptop's disk is often fuller than the default 85 % image GC / eviction thresholds.
imageGCHighThresholdPercent: 100
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%"}
serializeImagePulls: false
`,
  );
}

export function writeKubeProxyConfig(): void {
  write(
    files.kubeProxy,
    `apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
# The kernel has no IPVS; iptables (nft backend) works inside the namespace.
mode: iptables
clientConnection:
  kubeconfig: ${kubeconfigPath('kube-proxy')}
hostnameOverride: ${NODE_NAME}
bindAddress: ${NODE_IP}
clusterCIDR: ${POD_CIDR}
# NodePorts on the node IP only (silences "nodePortAddresses is unset").
nodePortAddresses: [primary]
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# Leave the machine-wide conntrack sysctls alone (0 = do not set); the defaults fit one node.
conntrack:
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
`,
  );
}
