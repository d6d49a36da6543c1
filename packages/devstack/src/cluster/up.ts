import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from '../processes';
import { coreDnsManifest } from './addons';
import {
  CNI_BIN_DIR,
  IMAGES,
  KUBE_BIN,
  NETNS,
  NETNS_SCRIPT,
  NODE_IP,
  NODE_NAME,
  NODE_PREFIX,
  RUNC,
  SERVICE_CIDR,
  STATE_DIR,
  paths,
} from './config';
import {
  writeCniConfig,
  writeContainerdConfig,
  writeKubeProxyConfig,
  writeKubeletConfig,
} from './configs';
import { components } from './components';
import { assertRunning, pidOf, start } from './daemons';
import { clusterDown } from './down';
import { importImageTar } from './images';
import { writeKubeconfig } from './kubeconfig';
import { kubectl, kubectlOk, namespaceExists } from './namespace';
import { CLIENTS, generatePki } from './pki';

export interface UpResult {
  /** False when the cluster was already running. */
  started: boolean;
  ms: number;
  kubeconfig: string;
}

type Log = (line: string) => void;

const TIMEOUTS = { apiserver: 120_000, containerd: 30_000, node: 180_000, dns: 180_000 };

/** What `up` needs; scripts/ensure-tools.sh cluster installs and builds all of it. */
function missingTools(): string[] {
  const files = [
    ...[
      'etcd',
      'kube-apiserver',
      'kubectl',
      'kubelet',
      'kube-controller-manager',
      'kube-scheduler',
      'kube-proxy',
    ].map((b) => path.join(KUBE_BIN, b)),
    IMAGES.pause.tar,
    IMAGES.coredns.tar,
    RUNC,
    path.join(CNI_BIN_DIR, 'bridge'),
  ];
  const missing = files.filter((f) => !fs.existsSync(f));
  for (const cmd of ['containerd', 'ctr', 'nsenter', 'ip', 'iptables', 'openssl']) {
    try {
      execFileSync('sh', ['-c', `command -v ${cmd}`], {
        stdio: 'ignore',
        env: { PATH: `${process.env.PATH}:/usr/sbin:/sbin` },
      });
    } catch {
      missing.push(cmd);
    }
  }
  return missing;
}

/** True when the namespace exists and every component runs. */
export function isUp(): boolean {
  return namespaceExists() && components().every((c) => pidOf(c.name) !== undefined);
}

export async function clusterUp(log: Log = () => undefined): Promise<UpResult> {
  const began = Date.now();
  if (isUp()) {
    log('cluster is already up');
    return { started: false, ms: 0, kubeconfig: paths.kubeconfig };
  }
  if (process.getuid?.() !== 0)
    throw new Error('the cluster needs root (network namespaces, mounts, containerd)');
  const missing = missingTools();
  if (missing.length > 0) {
    throw new Error(`missing: ${missing.join(', ')}; run: bash scripts/ensure-tools.sh cluster`);
  }
  // Half a cluster (a crash, a killed `up`, a reboot) is cleared rather than patched.
  if (namespaceExists() || fs.existsSync(STATE_DIR)) {
    log('clearing what an earlier run left');
    await clusterDown(log);
  }

  try {
    await bringUp(log);
  } catch (e) {
    log(`up failed; logs are in ${paths.logs} (kept until the next down)`);
    throw e;
  }
  const ms = Date.now() - began;
  log(`cluster up in ${(ms / 1000).toFixed(1)} s; kubeconfig: ${paths.kubeconfig}`);
  return { started: true, ms, kubeconfig: paths.kubeconfig };
}

async function bringUp(log: Log): Promise<void> {
  for (const dir of [
    paths.pki,
    paths.config,
    paths.logs,
    paths.pids,
    paths.etcd,
    paths.cniConf,
    paths.cniIpam,
    paths.kubeletRoot,
    paths.podLogs,
    path.dirname(paths.containerdSock),
  ]) {
    fs.mkdirSync(dir, { recursive: true });
  }
  fs.writeFileSync(
    paths.netnsBefore,
    execFileSync('bash', [NETNS_SCRIPT, 'list-cni'], { encoding: 'utf8' }),
  );
  log(`network namespace ${NETNS}: node ${NODE_IP}/${NODE_PREFIX} on br0`);
  execFileSync('bash', [NETNS_SCRIPT, 'create', NETNS, `${NODE_IP}/${NODE_PREFIX}`, SERVICE_CIDR], {
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 30_000,
  });

  generatePki();
  for (const c of CLIENTS) writeKubeconfig(c.name);
  writeContainerdConfig();
  writeCniConfig();
  writeKubeletConfig();
  writeKubeProxyConfig();

  const all = new Map(components().map((c) => [c.name, c]));
  const launch = (name: string) => {
    start(all.get(name)!);
    log(`started ${name}`);
  };

  // etcd, the apiserver and containerd start together; the rest needs the apiserver.
  launch('etcd');
  launch('kube-apiserver');
  launch('containerd');

  await waitFor(
    'containerd',
    async () => {
      assertRunning('containerd');
      return fs.existsSync(paths.containerdSock) ? true : undefined;
    },
    TIMEOUTS.containerd,
  );
  // The sandbox and CoreDNS images, while the apiserver starts.
  importImageTar(IMAGES.pause.tar);
  importImageTar(IMAGES.coredns.tar);
  log('imported the pause and CoreDNS images');

  await waitFor(
    'kube-apiserver /readyz',
    async () => {
      assertRunning('etcd');
      assertRunning('kube-apiserver');
      const r = kubectl(['get', '--raw', '/readyz'], undefined, 10_000);
      if (r.status !== 0) throw new Error(r.stderr.trim());
      return true;
    },
    TIMEOUTS.apiserver,
    500,
  );
  log('kube-apiserver ready');

  for (const name of ['kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-proxy'])
    launch(name);
  kubectlOk(['apply', '-f', '-'], coreDnsManifest());
  log('applied CoreDNS (kube-dns Service)');

  await waitFor(
    `node ${NODE_NAME} Ready`,
    async () => {
      for (const name of ['kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-proxy'])
        assertRunning(name);
      const r = kubectl(
        [
          'get',
          'node',
          NODE_NAME,
          '-o',
          'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
        ],
        undefined,
        10_000,
      );
      if (r.status !== 0) throw new Error(r.stderr.trim());
      return r.stdout.trim() === 'True' ? true : undefined;
    },
    TIMEOUTS.node,
    1000,
  );
  log(`node ${NODE_NAME} Ready`);

  await waitFor(
    'CoreDNS Ready',
    async () => {
      assertRunning('kubelet');
      const r = kubectl(
        ['-n', 'kube-system', 'get', 'deploy', 'coredns', '-o', 'jsonpath={.status.readyReplicas}'],
        undefined,
        10_000,
      );
      if (r.status !== 0) throw new Error(r.stderr.trim());
      return Number(r.stdout.trim() || '0') >= 1 ? true : undefined;
    },
    TIMEOUTS.dns,
    1000,
  );
  log('CoreDNS ready');
}
