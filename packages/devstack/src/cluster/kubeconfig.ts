import fs from 'node:fs';
import path from 'node:path';
import { NODE_IP, PORTS, paths } from './config';
import { pki } from './pki';

/** The apiserver's URL; an address inside the namespace, so clients must run there too. */
export const API_SERVER = `https://${NODE_IP}:${PORTS.apiserver}`;

export function kubeconfigPath(name: string): string {
  return name === 'admin' ? paths.kubeconfig : path.join(paths.config, `${name}.kubeconfig`);
}

/** A kubeconfig for one client identity of pki.ts, pointing at files (they live as long as it). */
export function writeKubeconfig(name: string): string {
  const file = kubeconfigPath(name);
  const text = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: kshop',
    '  cluster:',
    `    server: ${API_SERVER}`,
    `    certificate-authority: ${pki.caCert}`,
    'users:',
    `- name: ${name}`,
    '  user:',
    `    client-certificate: ${pki.cert(name)}`,
    `    client-key: ${pki.key(name)}`,
    'contexts:',
    '- name: kshop',
    '  context:',
    '    cluster: kshop',
    `    user: ${name}`,
    'current-context: kshop',
    '',
  ].join('\n');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { mode: 0o600 });
  return file;
}
