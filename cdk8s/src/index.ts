export { DASHBOARD_ROWS, buildDashboard } from './monitoring/dashboard';
export type { PanelSpec, RowSpec } from './monitoring/dashboard';
export { interpolate } from './monitoring/grafana-variables';
export { alertRuleGroups } from './monitoring/alert-rules';
export {
  K8S_DIR,
  synthMonitoring,
  synthOperatorTools,
  synthStrimzi,
  synthStrimziDev,
} from './main';
export { DEV_KAFKA, PROD_LIKE_KAFKA } from './strimzi/kafka-profiles';
export type { KafkaProfile, Resources } from './strimzi/kafka-profiles';
export { CrdSchemas } from './crd-schemas';
export { readManifests } from './manifests';
export type { Manifest } from './manifests';
