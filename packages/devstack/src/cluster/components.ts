import path from 'node:path';
import { KUBE_BIN, NODE_IP, NODE_NAME, PORTS, SERVICE_CIDR, paths } from './config';
import { files } from './configs';
import { kubeconfigPath } from './kubeconfig';
import { pki } from './pki';

/** One long-running process of the cluster. Started in this order, stopped in reverse. */
export interface Component {
  name: string;
  command: string;
  args: string[];
}

export function components(): Component[] {
  const bin = (name: string) => path.join(KUBE_BIN, name);
  return [
    {
      // The project's embedded etcd (tools/kube-apiserver/etcd); on the namespace's loopback.
      name: 'etcd',
      command: bin('etcd'),
      args: [
        '-data-dir',
        paths.etcd,
        '-client-url',
        `http://127.0.0.1:${PORTS.etcd}`,
        '-peer-url',
        `http://127.0.0.1:${PORTS.etcdPeer}`,
      ],
    },
    {
      name: 'kube-apiserver',
      command: bin('kube-apiserver'),
      args: [
        `--etcd-servers=http://127.0.0.1:${PORTS.etcd}`,
        // All addresses of the namespace (br0 and loopback); none of them exists outside it.
        '--bind-address=0.0.0.0',
        // Else it picks the host's address for the `kubernetes` Service endpoints.
        `--advertise-address=${NODE_IP}`,
        `--secure-port=${PORTS.apiserver}`,
        `--tls-cert-file=${pki.apiserverCert}`,
        `--tls-private-key-file=${pki.apiserverKey}`,
        `--client-ca-file=${pki.caCert}`,
        `--service-cluster-ip-range=${SERVICE_CIDR}`,
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${pki.saPub}`,
        `--service-account-signing-key-file=${pki.saKey}`,
        '--authorization-mode=Node,RBAC',
        '--enable-admission-plugins=NodeRestriction',
        '--allow-privileged=true',
        `--kubelet-client-certificate=${pki.cert('apiserver-kubelet-client')}`,
        `--kubelet-client-key=${pki.key('apiserver-kubelet-client')}`,
        // Else it resolves the node's name through the machine's resolver, outside the namespace.
        '--kubelet-preferred-address-types=InternalIP',
        // One developer; priority and fairness only adds start-up work.
        '--enable-priority-and-fairness=false',
      ],
    },
    {
      // containerd before the kubelet, which fails at once without its runtime socket.
      name: 'containerd',
      command: 'containerd',
      args: ['--config', files.containerd],
    },
    {
      name: 'kube-controller-manager',
      command: bin('kube-controller-manager'),
      args: [
        `--kubeconfig=${kubeconfigPath('controller-manager')}`,
        `--authentication-kubeconfig=${kubeconfigPath('controller-manager')}`,
        `--authorization-kubeconfig=${kubeconfigPath('controller-manager')}`,
        '--bind-address=127.0.0.1',
        '--leader-elect=false',
        // The CNI's host-local IPAM hands out pod addresses; no node podCIDR allocation.
        '--controllers=*,-nodeipam',
        '--use-service-account-credentials=true',
        `--service-account-private-key-file=${pki.saKey}`,
        // Published to every namespace as kube-root-ca.crt, which pods use to trust the apiserver.
        `--root-ca-file=${pki.caCert}`,
        `--cluster-signing-cert-file=${pki.caCert}`,
        `--cluster-signing-key-file=${pki.caKey}`,
      ],
    },
    {
      name: 'kube-scheduler',
      command: bin('kube-scheduler'),
      args: [
        `--kubeconfig=${kubeconfigPath('scheduler')}`,
        `--authentication-kubeconfig=${kubeconfigPath('scheduler')}`,
        `--authorization-kubeconfig=${kubeconfigPath('scheduler')}`,
        '--bind-address=127.0.0.1',
        '--leader-elect=false',
      ],
    },
    {
      name: 'kubelet',
      command: bin('kubelet'),
      args: [
        `--config=${files.kubelet}`,
        `--kubeconfig=${kubeconfigPath('kubelet')}`,
        `--root-dir=${paths.kubeletRoot}`,
        `--hostname-override=${NODE_NAME}`,
        `--node-ip=${NODE_IP}`,
      ],
    },
    {
      name: 'kube-proxy',
      command: bin('kube-proxy'),
      args: [`--config=${files.kubeProxy}`],
    },
  ];
}
