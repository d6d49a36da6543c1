/** The local single-node Kubernetes cluster, for tests and scripts; see README.md. */
export { clusterUp, isUp } from './up';
export type { UpResult } from './up';
export { clusterDown } from './down';
export { clusterStatus, formatStatus } from './status';
export type { ClusterStatus } from './status';
export {
  inNamespace,
  inNamespaceInteractive,
  kubectl,
  kubectlOk,
  namespaceEnv,
  namespaceExists,
  nsenterArgs,
} from './namespace';
export type { Result } from './namespace';
export { importImageTar, loadImages, listImages } from './images';
export {
  CLUSTER_DOMAIN,
  DNS_IP,
  IMAGES,
  KUBERNETES_SERVICE_IP,
  KUBE_BIN,
  NETNS,
  NETNS_PATH,
  NODE_IP,
  NODE_NAME,
  POD_CIDR,
  SERVICE_CIDR,
  STATE_DIR,
} from './config';
import { paths } from './config';
/** The admin kubeconfig; its server is the node IP, so use it inside the namespace. */
export const KUBECONFIG = paths.kubeconfig;
