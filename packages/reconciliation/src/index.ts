export { reconcile } from './reconcile';
export type { ReconciliationReport, SystemDatabases, Violation } from './reconcile';
