import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { Stack, cluster, loadStackConfig } from '@shop/devstack';
import { K8S_STACK_ENV } from './k8s-stack';

/** A fresh stack for the chart on the local node, inside the node's network namespace. */
export default async function globalSetup(): Promise<void> {
  if (!fs.existsSync(cluster.NETNS_PATH) || !isInNamespace()) {
    throw new Error(
      'the k8s suite runs inside the local cluster: npm run test:k8s (it brings the cluster up)',
    );
  }
  Object.assign(process.env, K8S_STACK_ENV);
  const stack = new Stack(loadStackConfig(), (line) =>
    process.stderr.write(`[devstack] ${line}\n`),
  );
  await stack.wipeData();
  const began = Date.now();
  await stack.up();
  process.stderr.write(`[devstack] on ${cluster.NODE_IP}, up in ${Date.now() - began} ms\n`);
}

/** This process's network namespace is the cluster's (same inode as /var/run/netns/NAME). */
function isInNamespace(): boolean {
  const mine = fs.readlinkSync('/proc/self/ns/net');
  const theirs = execFileSync('stat', ['-L', '-c', 'net:[%i]', cluster.NETNS_PATH], {
    encoding: 'utf8',
  }).trim();
  return mine === theirs;
}

