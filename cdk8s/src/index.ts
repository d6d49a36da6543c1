export { DASHBOARD_ROWS, buildDashboard } from './monitoring/dashboard';
export type { PanelSpec, RowSpec } from './monitoring/dashboard';
export { alertRuleGroups } from './monitoring/alert-rules';
export { K8S_DIR, synthMonitoring, synthStrimzi } from './main';
export { CrdSchemas } from './crd-schemas';
export { readManifests } from './manifests';
export type { Manifest } from './manifests';
