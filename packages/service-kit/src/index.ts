export {
  ConfigError,
  KafkaSecurityEnvSchema,
  ServiceEnvSchema,
  commaList,
  kafkaSecurityOf,
  messagingSettingsOf,
  parseEnv,
  saslSetTogether,
} from './config';
export type { KafkaSecurityEnv, ServiceEnv } from './config';
export { accessLog } from './http/access-log';
export { createHttpApp } from './http/app';
export type { HttpAppOptions, ReadinessCheck } from './http/app';
export { HttpProblem, PROBLEM_CONTENT_TYPE } from './http/problem';
export { createSequelize, migrate } from './database';
export { ServiceMessaging } from './messaging';
export type { ServiceMessagingOptions } from './messaging';
export { repeatEvery } from './repeat-every';
export type { Repeating } from './repeat-every';
export { runService, listen, closeServer } from './runtime';
export type { RunningService } from './runtime';
export { startService } from './service';
export type { ServiceInfrastructure, ServiceParts, StartedService } from './service';
