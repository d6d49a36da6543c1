export { loadStackConfig, bootstrapServers, databaseUrl, ConfigError } from './config';
export type { StackConfig, KafkaNodeConfig } from './config';
export { Stack } from './stack';
export type { StackEndpoints, StackStatus, UpResult } from './stack';
export { StackError } from './errors';
export { serviceCommand } from './service-command';
export type { ServiceCommand } from './service-command';
export { OPS_CONSOLE, serviceEnv } from './service-env';
export type { Deployable, ServiceWiring } from './service-env';
export { spawnService } from './service-launcher';
export type { LaunchOptions, LaunchedService, ServiceOutput } from './service-launcher';
export { ServiceExitedError, waitUntilReady } from './readiness';
export {
  createTopicsAndWait,
  underReplicatedPartitions,
  waitForFullIsr,
  withKafkaAdmin,
} from './kafka/admin';
export type { TopicToMake } from './kafka/admin';
export { LocalMonitoring } from './monitoring/local-monitoring';
export type { LocalMonitoringOptions, ScrapeTarget } from './monitoring/local-monitoring';
export { KafkaMetricsExporter } from './monitoring/kafka-metrics-exporter';
export * as cluster from './cluster';
