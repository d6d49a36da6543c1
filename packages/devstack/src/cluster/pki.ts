import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { KUBERNETES_SERVICE_IP, NODE_IP, NODE_NAME, paths } from './config';

/**
 * Certificates for the cluster, made fresh by every `up` (and deleted by `down`): one CA, the
 * apiserver's serving certificate, one client certificate per component so the Node and RBAC
 * authorizers see the usual identities, and the service-account signing key. Node's crypto has no
 * X.509 writer, so openssl (always present where apt is) signs them; EC keys keep it fast.
 */

export interface ClientIdentity {
  /** File stem and kubeconfig name. */
  name: string;
  /** Becomes the user name. */
  cn: string;
  /** Becomes the group. */
  o?: string;
}

/** Who talks to the apiserver, and as whom. */
export const CLIENTS: ClientIdentity[] = [
  { name: 'admin', cn: 'kshop-admin', o: 'system:masters' },
  { name: 'controller-manager', cn: 'system:kube-controller-manager' },
  { name: 'scheduler', cn: 'system:kube-scheduler' },
  { name: 'kubelet', cn: `system:node:${NODE_NAME}`, o: 'system:nodes' },
  { name: 'kube-proxy', cn: 'system:kube-proxy' },
  // The apiserver's own identity towards the kubelet (logs, exec, port-forward).
  { name: 'apiserver-kubelet-client', cn: 'kube-apiserver-kubelet-client', o: 'system:masters' },
];

export const pki = {
  caCert: path.join(paths.pki, 'ca.crt'),
  caKey: path.join(paths.pki, 'ca.key'),
  apiserverCert: path.join(paths.pki, 'apiserver.crt'),
  apiserverKey: path.join(paths.pki, 'apiserver.key'),
  saKey: path.join(paths.pki, 'sa.key'),
  saPub: path.join(paths.pki, 'sa.pub'),
  cert: (name: string) => path.join(paths.pki, `${name}.crt`),
  key: (name: string) => path.join(paths.pki, `${name}.key`),
};

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
}

function ecKey(file: string): void {
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', file]);
}

/** A certificate signed by the CA; `ext` is an openssl extension section (SANs, usages). */
function signed(name: string, subject: string, ext: string): void {
  const csr = path.join(paths.pki, `${name}.csr`);
  const extFile = path.join(paths.pki, `${name}.ext`);
  ecKey(pki.key(name));
  openssl(['req', '-new', '-key', pki.key(name), '-subj', subject, '-out', csr]);
  fs.writeFileSync(extFile, ext);
  openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    pki.caCert,
    '-CAkey',
    pki.caKey,
    '-CAcreateserial',
    '-days',
    '365',
    '-extfile',
    extFile,
    '-out',
    pki.cert(name),
  ]);
  fs.rmSync(csr);
  fs.rmSync(extFile);
}

export function generatePki(): void {
  fs.mkdirSync(paths.pki, { recursive: true });
  ecKey(pki.caKey);
  openssl([
    'req',
    '-x509',
    '-new',
    '-key',
    pki.caKey,
    '-subj',
    '/CN=kshop-cluster-ca',
    '-days',
    '365',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-out',
    pki.caCert,
  ]);

  // Every name and address a client may use: the node IP (components, the namespace), the
  // `kubernetes` Service's ClusterIP and DNS names (pods), loopback.
  const sans = [
    `IP:${NODE_IP}`,
    `IP:${KUBERNETES_SERVICE_IP}`,
    'IP:127.0.0.1',
    'DNS:localhost',
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
    'DNS:kubernetes.default.svc.cluster.local',
  ].join(',');
  signed(
    'apiserver',
    '/CN=kube-apiserver',
    `subjectAltName=${sans}\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n`,
  );
  for (const c of CLIENTS) {
    signed(
      c.name,
      `${c.o ? `/O=${c.o}` : ''}/CN=${c.cn}`,
      'keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n',
    );
  }

  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  fs.writeFileSync(pki.saPub, publicKey);
  fs.writeFileSync(pki.saKey, privateKey, { mode: 0o600 });
}
