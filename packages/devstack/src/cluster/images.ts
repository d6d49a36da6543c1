import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { paths } from './config';

/**
 * Images reach the node without a registry: containerd imports image tars into its `k8s.io`
 * namespace (the one the CRI plugin reads), and pods use them with imagePullPolicy Never or
 * IfNotPresent.
 */

function run(command: string, args: string[], timeoutMs: number): void {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: timeoutMs });
  if (r.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed: ${r.error?.message ?? ''}${r.stderr}`);
  }
}

/** Imports a docker-archive or OCI tar (e.g. from `podman save`) into the node's containerd. */
export function importImageTar(tar: string): void {
  // ctr talks to containerd over its unix socket, a file: no network, works from any namespace.
  run('ctr', ['-a', paths.containerdSock, '-n', 'k8s.io', 'images', 'import', tar], 120_000);
}

/** `podman save IMAGE | ctr import` for each image, so a locally built image runs in the cluster. */
export function loadImages(images: string[]): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kshop-load-'));
  try {
    for (const image of images) {
      const tar = path.join(dir, 'image.tar');
      run('podman', ['save', '-o', tar, image], 300_000);
      importImageTar(tar);
      fs.rmSync(tar);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Image names containerd holds for the cluster. */
export function listImages(): string[] {
  const r = spawnSync('ctr', ['-a', paths.containerdSock, '-n', 'k8s.io', 'images', 'ls', '-q'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return r.status === 0 ? r.stdout.split('\n').filter(Boolean) : [];
}
