export { MessagingSettingsSchema, messagingSettings } from './settings';
export type { MessagingSettings, MessagingSettingsInput } from './settings';
export { createKafka } from './kafka';
export { ReliableProducer } from './producer';
export { ClusterProbe } from './cluster-probe';
export type { ClusterProbeOptions } from './cluster-probe';
export {
  classifyError,
  errorClassName,
  TransientError,
  TimeoutError,
  UnhandledEventTypeError,
} from './errors';
export type { ErrorKind } from './errors';
export { DLQ_HEADERS, RETRY_HEADERS, EVENT_TYPE_HEADER, headerString } from './headers';
export { MessagingMetrics } from './metrics';
export { MESSAGING_MIGRATIONS, createMigrator, sqlMigration } from './persistence/migrations';
export type { Migration } from './persistence/migrations';
export { Outbox } from './outbox/outbox';
export { OutboxRelay, RELAY_LOCK_KEY } from './outbox/relay';
export type { OutboxRelayOptions } from './outbox/relay';
export { MessageConsumer } from './consumer/runner';
export type { MessageConsumerOptions } from './consumer/runner';
export { eventSubscription } from './consumer/handlers';
export type { EventHandler, EventHandlers, EventSubscription } from './consumer/handlers';
export { TransactionScopes, Transactions } from './transactions';
export type { UnitOfWorkFactory } from './transactions';
export type { TransactionScope } from './transaction-scope';
export { topologyOf } from './consumer/topology';
export type { ConsumerTopology } from './consumer/topology';
export type { RecordOrigin } from './consumer/record-origin';
export {
  DeadLetterStore,
  REPLAY_COUNT_HEADER,
  REPLAY_HEADER,
  UnknownTopicError,
  readDeadLetter,
  replayCountOf,
  replayTargetOf,
} from './tools/dead-letters';
export type { DeadLetter, DeadLetterFilter } from './tools/dead-letters';
export { consumerLag, formatLag } from './tools/lag';
export type { PartitionLag } from './tools/lag';
export { deleteGroup, readerGroupId } from './tools/read-topic';
export type { ReadRecord } from './tools/read-topic';
export { recordsForKey } from './tools/records-for-key';
export { runPrepared } from './persistence/prepared';
export type { PreparedStatement } from './persistence/prepared';
