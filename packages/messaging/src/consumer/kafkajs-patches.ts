/**
 * Two fixes to kafkajs 2.2.4's consumer, installed into its classes by the kit's consumer.
 *
 * **Coordinator fail-over.** kafkajs looks up a group's coordinator only when it joins the group. When the broker that
 * coordinates the group dies, Kafka moves the coordinator to a live broker as soon as the dead one
 * is fenced (1.5 s locally), but kafkajs keeps sending the member's heartbeats and offset commits to
 * the dead broker, reconnecting for each one, until it comes back. In a chaos run that was 18 s of
 * connection errors: each failed heartbeat stopped every fetcher and backed off, so the consumer
 * applied records in bursts and committed nothing, and when the broker returned the group had
 * forgotten the member (session expired) and rebalanced.
 *
 * The Java client asks again (FindCoordinator) when its coordinator is unreachable or answers that
 * it no longer coordinates the group, and carries on as the same member: the new coordinator loads
 * the group from `__consumer_offsets` and knows the member until its session runs out. This does
 * the same for kafkajs' heartbeat and offset commit, once per failure; if the coordinator cannot
 * be found yet (the dead broker not fenced), the error goes on to kafkajs as before.
 *
 * **A stopped consumer must not spin.** When a consumer stops (a crash, a disconnect) while
 * kafkajs rebuilds its fetchers (the broker set changed: a broker died or came back), the new
 * fetchers ask the stopped runner for records, get "nothing" at once, and ask again: a loop of
 * resolved promises that never yields. The event loop starves: no HTTP, no timers, no consuming
 * (a clean-clone CI run hung that way; a stack of the spinning process showed kafkajs' fetcher
 * loop). A stopped runner now fails the fetch instead, which ends the fetcher, and the runner's
 * own loop sees it is stopped and returns.
 *
 * They patch kafkajs' classes, so they are written for one version: another one stops start-up
 * until they have been checked against it.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('kafkajs/package.json') as { version: string };

interface Broker {
  isConnected(): boolean;
}

interface Cluster {
  findGroupCoordinator(options: { groupId: string }): Promise<Broker>;
}

interface OffsetManager {
  cluster: Cluster;
  groupId: string;
  coordinator: Broker;
  commitOffsets(offsets?: unknown): Promise<void>;
  getCoordinator(): Promise<Broker>;
}

interface ConsumerGroup {
  cluster: Cluster;
  groupId: string;
  memberId: string | null;
  coordinator: Broker | null;
  offsetManager: OffsetManager | null;
  heartbeat(options: { interval: number }): Promise<void>;
}

interface Runner {
  running: boolean;
  fetch(nodeId: number): Promise<unknown[]>;
}

type Prototype<T> = { prototype: T };

/** kafkajs' consumer classes; it exports none of them. */
function kafkajsClass<T>(path: string): Prototype<T> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(`kafkajs/src/consumer/${path}`) as Prototype<T>;
}
const ConsumerGroupClass = kafkajsClass<ConsumerGroup>('consumerGroup');
const RunnerClass = kafkajsClass<Runner>('runner');
const OffsetManagerClass = kafkajsClass<OffsetManager>('offsetManager');

export const PATCHED_KAFKAJS_VERSION = '2.2.4';

/** kafkajs' errors that say the coordinator it has is gone or is no longer the group's. */
const LOST_BY_NAME = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSBrokerNotFound',
  'KafkaJSRequestTimeoutError',
]);
const LOST_BY_TYPE = new Set(['NOT_COORDINATOR_FOR_GROUP', 'GROUP_COORDINATOR_NOT_AVAILABLE']);

export function isCoordinatorLost(error: unknown): boolean {
  const e = error as { name?: string; type?: string } | null;
  return (
    (e?.name !== undefined && LOST_BY_NAME.has(e.name)) ||
    (e?.type !== undefined && LOST_BY_TYPE.has(e.type))
  );
}

class ConsumerStoppedError extends Error {
  override readonly name = 'ConsumerStoppedError';
  constructor() {
    super('the consumer is stopped');
  }
}

/** One lookup at a time per group: every fetcher of a consumer heartbeats through it. */
const lookups = new WeakMap<Cluster, Map<string, Promise<Broker>>>();

function lookUpCoordinator(cluster: Cluster, groupId: string): Promise<Broker> {
  let byGroup = lookups.get(cluster);
  if (!byGroup) lookups.set(cluster, (byGroup = new Map()));
  let lookup = byGroup.get(groupId);
  if (!lookup) {
    lookup = cluster.findGroupCoordinator({ groupId }).finally(() => byGroup.delete(groupId));
    byGroup.set(groupId, lookup);
  }
  return lookup;
}

/**
 * The group's coordinator, asked anew after a request failed. If it cannot be found (no broker
 * answers, the dead one is not fenced yet), the request's own error goes on: kafkajs retries that
 * one, where the lookup's "Failed to find group coordinator" would crash the consumer (seen under
 * network resets).
 */
async function findCoordinatorAfter(
  failure: unknown,
  cluster: Cluster,
  groupId: string,
): Promise<Broker> {
  try {
    return await lookUpCoordinator(cluster, groupId);
  } catch {
    throw failure;
  }
}

let installed = false;

/** Installs both fixes into kafkajs' consumer classes, once per process. */
export function patchKafkajsConsumer(kafkajsVersion = version): void {
  if (kafkajsVersion !== PATCHED_KAFKAJS_VERSION) {
    throw new Error(
      `the kit patches kafkajs ${PATCHED_KAFKAJS_VERSION}'s consumer, but kafkajs ${kafkajsVersion} is installed: check whether it still needs the patches (packages/messaging/src/consumer/kafkajs-patches.ts)`,
    );
  }
  if (installed) return;
  installed = true;

  const fetch = RunnerClass.prototype.fetch;
  RunnerClass.prototype.fetch = async function (this: Runner, nodeId) {
    if (!this.running) throw new ConsumerStoppedError();
    return fetch.call(this, nodeId);
  };

  const heartbeat = ConsumerGroupClass.prototype.heartbeat;
  ConsumerGroupClass.prototype.heartbeat = async function (this: ConsumerGroup, options) {
    try {
      return await heartbeat.call(this, options);
    } catch (error) {
      if (!this.memberId || !isCoordinatorLost(error)) throw error;
      const coordinator = await findCoordinatorAfter(error, this.cluster, this.groupId);
      this.coordinator = coordinator;
      if (this.offsetManager) this.offsetManager.coordinator = coordinator;
      return await heartbeat.call(this, options);
    }
  };

  // kafkajs reconnects a disconnected coordinator by node id: to the same dead broker. That is
  // still what happens when the lookup fails, so the error is kafkajs' own.
  const getCoordinator = OffsetManagerClass.prototype.getCoordinator;
  OffsetManagerClass.prototype.getCoordinator = async function (this: OffsetManager) {
    if (this.coordinator.isConnected()) return this.coordinator;
    try {
      this.coordinator = await lookUpCoordinator(this.cluster, this.groupId);
      return this.coordinator;
    } catch {
      return getCoordinator.call(this);
    }
  };

  const commitOffsets = OffsetManagerClass.prototype.commitOffsets;
  OffsetManagerClass.prototype.commitOffsets = async function (this: OffsetManager, offsets) {
    try {
      return await commitOffsets.call(this, offsets);
    } catch (error) {
      if (!isCoordinatorLost(error)) throw error;
      this.coordinator = await findCoordinatorAfter(error, this.cluster, this.groupId);
      return await commitOffsets.call(this, offsets);
    }
  };
}
