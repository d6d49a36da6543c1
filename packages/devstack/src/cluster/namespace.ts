import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KUBE_BIN, NETNS_PATH, paths } from './config';

/**
 * Running commands inside the cluster's network namespace. Always `nsenter --net=`, never
 * `ip netns exec`: the latter remounts /sys, which hides /sys/fs/cgroup from the kubelet ("failed
 * to find cgroup mounts") and from runc ("no cgroup mount found in mountinfo").
 */

export interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of anything run in the namespace: the cluster's kubeconfig, project tools first. */
export function namespaceEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const gobin = path.join(process.env.GOPATH ?? path.join(os.homedir(), 'go'), 'bin');
  const dirs = [KUBE_BIN, gobin, process.env.PATH ?? '', '/usr/local/sbin', '/usr/sbin', '/sbin'];
  return { ...process.env, KUBECONFIG: paths.kubeconfig, PATH: dirs.join(':'), ...extra };
}

/** nsenter's command line for `command args` in the namespace. */
export function nsenterArgs(command: string, args: string[]): string[] {
  return [`--net=${NETNS_PATH}`, '--', command, ...args];
}

export function namespaceExists(): boolean {
  return fs.existsSync(NETNS_PATH);
}

/** Runs a command in the namespace to its end (bounded by `timeoutMs`), capturing its output. */
export function inNamespace(
  command: string,
  args: string[],
  options: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Result {
  const r = spawnSync('nsenter', nsenterArgs(command, args), {
    input: options.input,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
    env: namespaceEnv(options.env),
    maxBuffer: 64 * 1024 * 1024,
  });
  const error = r.error ? `${r.error.message}\n` : '';
  return { status: r.status, stdout: r.stdout ?? '', stderr: `${error}${r.stderr ?? ''}` };
}

/** Like inNamespace, with the terminal attached (the CLI's `exec` and `kubectl`); resolves with the exit code. */
export function inNamespaceInteractive(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('nsenter', nsenterArgs(command, args), {
      stdio: 'inherit',
      env: namespaceEnv(),
    });
    // Ctrl-C reaches the child through the terminal's process group; just wait for it to end.
    const ignore = () => undefined;
    process.on('SIGINT', ignore);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      process.off('SIGINT', ignore);
      resolve(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1));
    });
  });
}

/** The project's kubectl with the cluster's admin kubeconfig, in the namespace. */
export function kubectl(args: string[], input?: string, timeoutMs = 60_000): Result {
  return inNamespace(
    path.join(KUBE_BIN, 'kubectl'),
    [
      '--kubeconfig',
      paths.kubeconfig,
      '--cache-dir',
      path.join(paths.config, 'kube-cache'),
      ...args,
    ],
    { input, timeoutMs },
  );
}

/** kubectl that must succeed; returns stdout. */
export function kubectlOk(args: string[], input?: string, timeoutMs = 60_000): string {
  const r = kubectl(args, input, timeoutMs);
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${r.stderr.trim()}`);
  return r.stdout;
}
