/**
 * npm run cluster -- up | down | status | kubectl ARGS | exec CMD ARGS | load IMAGE...
 * A single-node Kubernetes inside the network namespace `kshop`; see README.md beside this file.
 */
import path from 'node:path';
import { KUBE_BIN, paths } from './config';
import { clusterDown } from './down';
import { loadImages } from './images';
import { inNamespaceInteractive, namespaceExists } from './namespace';
import { clusterStatus, formatStatus } from './status';
import { clusterUp } from './up';

const usage = `usage: npm run cluster -- <command>
  up                 start the cluster (idempotent); prints the kubeconfig path
  down               stop everything, delete the namespace and .cluster/
  status             components, node readiness, kube-system pods
  kubectl -- ARGS    the project's kubectl, in the namespace, with the cluster's kubeconfig
  exec -- CMD ARGS   any command in the namespace with KUBECONFIG set (helm, tests, curl)
  load IMAGE...      copy podman images into the node's containerd (imagePullPolicy: Never)`;

const log = (line: string) => process.stderr.write(`[cluster] ${line}\n`);

function requireUp(): void {
  if (!namespaceExists()) throw new Error('the cluster is not up: npm run cluster -- up');
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // `npm run cluster -- exec -- helm ...`: npm eats the first `--`, this one is ours to drop.
  const args = rest[0] === '--' ? rest.slice(1) : rest;
  switch (command) {
    case 'up': {
      const r = await clusterUp(log);
      if (r.started) process.stdout.write(`up in ${(r.ms / 1000).toFixed(1)} s\n`);
      process.stdout.write(
        `KUBECONFIG=${r.kubeconfig} (use inside the namespace: npm run cluster -- exec -- ...)\n`,
      );
      return 0;
    }
    case 'down':
      await clusterDown(log);
      return 0;
    case 'status': {
      const s = clusterStatus();
      process.stdout.write(`${formatStatus(s)}\n`);
      return s.nodeReady ? 0 : 1;
    }
    case 'kubectl':
      requireUp();
      return inNamespaceInteractive(path.join(KUBE_BIN, 'kubectl'), [
        '--kubeconfig',
        paths.kubeconfig,
        ...args,
      ]);
    case 'exec':
      requireUp();
      if (args.length === 0)
        throw new Error('exec needs a command: npm run cluster -- exec -- CMD ARGS');
      return inNamespaceInteractive(args[0]!, args.slice(1));
    case 'load':
      requireUp();
      if (args.length === 0) throw new Error('load needs image names (podman images)');
      loadImages(args);
      log(`loaded ${args.join(', ')}`);
      return 0;
    default:
      process.stderr.write(`${usage}\n`);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    log((e as Error).message);
    process.exit(1);
  },
);
