import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

/** podman with the project's settings for this machine (tools/images/podman.sh writes them). */
export function podman(args: string[], timeoutMs = 120_000): string {
  const r = spawnSync('podman', args, {
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, CONTAINERS_CONF: path.join(ROOT, '.tools/podman/containers.conf') },
  });
  if (r.status !== 0) {
    throw new Error(`podman ${args.join(' ')}: ${r.error?.message ?? ''}${r.stderr}`);
  }
  return r.stdout.trim();
}

/** Resident memory of a process, from /proc (the container's node is a process of this host). */
export function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]);
  return kb / 1024;
}
