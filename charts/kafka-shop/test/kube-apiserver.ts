import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './helm';

/** Where scripts/ensure-tools.sh builds tools/kube-apiserver. */
export const KUBE_BIN = path.join(ROOT, '.tools/kube/bin');

/** Fixed, so a leftover server is reported instead of silently doubled; unused elsewhere in the repo. */
export const KUBE_PORTS = { etcd: 22379, etcdPeer: 22380, apiserver: 22443 };

export interface Kubectl {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface KubeApiServer {
  /** The server's gitVersion, e.g. v1.36.3. */
  readonly version: string;
  /** For other clients of the same server (helm install --dry-run). */
  readonly kubeconfig: string;
  kubectl(args: string[], input?: string): Kubectl;
  stop(): Promise<void>;
}

/**
 * A throwaway kube-apiserver on loopback, backed by its own etcd in a temp dir; no controllers,
 * no nodes. Admin by a static token, every request authorized.
 */
export async function startKubeApiServer(): Promise<KubeApiServer> {
  for (const bin of ['etcd', 'kube-apiserver', 'kubectl']) {
    if (!fs.existsSync(path.join(KUBE_BIN, bin))) {
      throw new Error(
        `${path.join(KUBE_BIN, bin)} is missing: bash scripts/ensure-tools.sh test builds it (npm test does)`,
      );
    }
  }
  for (const [what, port] of Object.entries(KUBE_PORTS)) await assertFree(port, what);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-apiserver-'));
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  fs.writeFileSync(path.join(dir, 'sa.pub'), publicKey);
  fs.writeFileSync(path.join(dir, 'sa.key'), privateKey);
  const token = crypto.randomBytes(16).toString('hex');
  fs.writeFileSync(path.join(dir, 'tokens.csv'), `${token},admin,admin,system:masters\n`);
  const kubeconfig = path.join(dir, 'kubeconfig');
  fs.writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      // The serving certificate is self-signed at start-up; this is loopback in a test.
      `clusters: [{name: local, cluster: {server: "https://127.0.0.1:${KUBE_PORTS.apiserver}", insecure-skip-tls-verify: true}}]`,
      `users: [{name: admin, user: {token: "${token}"}}]`,
      'contexts: [{name: local, context: {cluster: local, user: admin}}]',
      'current-context: local',
      '',
    ].join('\n'),
  );

  const started: Array<{ name: string; child: ChildProcess }> = [];
  // Should jest exit without afterAll (a crash, a timeout), take the servers down with it.
  const killAll = () => started.forEach(({ child }) => child.kill('SIGKILL'));
  process.on('exit', killAll);
  const stop = async () => {
    process.off('exit', killAll);
    // The apiserver first: once its etcd is gone, its shutdown hangs for minutes.
    for (const { child } of [...started].reverse()) await terminate(child);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const launch = (name: string, args: string[]) => {
    const log = fs.openSync(path.join(dir, `${name}.log`), 'w');
    const child = spawn(path.join(KUBE_BIN, name), args, { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    started.push({ name, child });
    return child;
  };
  const failed = async (what: string, name: string, cause: unknown) => {
    const log = fs.readFileSync(path.join(dir, `${name}.log`), 'utf8');
    await stop();
    return new Error(
      `${what}: ${(cause as Error).message}\n${name} log (tail):\n${log.slice(-3000)}`,
    );
  };

  const etcd = launch('etcd', [
    '-data-dir',
    path.join(dir, 'etcd-data'),
    '-client-url',
    `http://127.0.0.1:${KUBE_PORTS.etcd}`,
    '-peer-url',
    `http://127.0.0.1:${KUBE_PORTS.etcdPeer}`,
  ]);
  try {
    await waitFor(etcd, () => get(`http://127.0.0.1:${KUBE_PORTS.etcd}/health`), 30_000);
  } catch (e) {
    throw await failed('etcd did not become healthy', 'etcd', e);
  }

  const apiserver = launch('kube-apiserver', [
    `--etcd-servers=http://127.0.0.1:${KUBE_PORTS.etcd}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${KUBE_PORTS.apiserver}`,
    `--cert-dir=${path.join(dir, 'certs')}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${path.join(dir, 'sa.pub')}`,
    `--service-account-signing-key-file=${path.join(dir, 'sa.key')}`,
    '--service-cluster-ip-range=10.96.0.0/16',
    '--authorization-mode=AlwaysAllow',
    `--token-auth-file=${path.join(dir, 'tokens.csv')}`,
    // One client; priority and fairness would only add its own start-up work.
    '--enable-priority-and-fairness=false',
  ]);
  const readyz = `https://127.0.0.1:${KUBE_PORTS.apiserver}/readyz`;
  try {
    await waitFor(apiserver, () => get(readyz, token), 90_000);
  } catch (e) {
    throw await failed('kube-apiserver did not become ready', 'kube-apiserver', e);
  }

  const kubectl = (args: string[], input?: string): Kubectl => {
    const r = spawnSync(
      path.join(KUBE_BIN, 'kubectl'),
      // Its own discovery cache: CRDs come and go with each server, ~/.kube would keep them.
      ['--kubeconfig', kubeconfig, '--cache-dir', path.join(dir, 'cache'), ...args],
      { input, encoding: 'utf8', timeout: 60_000 },
    );
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const v = kubectl(['version', '-o', 'json']);
  const version = (JSON.parse(v.stdout || '{}') as { serverVersion?: { gitVersion: string } })
    .serverVersion?.gitVersion;
  if (v.status !== 0 || !version) {
    await stop();
    throw new Error(`kubectl version failed: ${v.stderr}`);
  }
  return { version, kubeconfig, kubectl, stop };
}

function assertFree(port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', () =>
      reject(
        new Error(
          `port ${port} (${what}) is already in use: a kube-apiserver or etcd left by an earlier run? (ps -ef | grep .tools/kube)`,
        ),
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

/** Polls until `probe` answers 200, failing early when the process exits. */
async function waitFor(child: ChildProcess, probe: () => Promise<number>, ms: number) {
  const deadline = Date.now() + ms;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`exited (${child.exitCode ?? child.signalCode})`);
    }
    try {
      const status = await probe();
      if (status === 200) return;
      last = `HTTP ${status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not ready after ${ms} ms (${last})`);
}

function get(url: string, token?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const options = {
      timeout: 2_000,
      headers: token ? { Authorization: `Bearer ${token}` } : {},
      rejectUnauthorized: false,
    };
    const req = (url.startsWith('https:') ? https : http).get(url, options, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** SIGTERM, then SIGKILL after 20 s; resolves once the process is gone. */
function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
