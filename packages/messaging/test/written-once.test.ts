import { QueryTypes } from 'sequelize';
import { dlqTopicOf, type Envelope } from '@shop/contracts';
import { DeadLetterStore, TransientError, type EventHandlers } from '@shop/messaging';
import { eventually, uniqueName, withAdmin } from '@shop/testkit';
import { KitHarness, orderCreated } from './support/kit-harness';

/**
 * The chunk's commit fails once, after a record in it was decided for a retry tier or the DLQ:
 * a deferred constraint trigger on the processed-event row the failing record gives up (the
 * consumer deletes it so the record is applied when it comes back) raises at COMMIT, the first
 * time only (a sequence is not rolled back with the transaction).
 */
const FAIL_FIRST_COMMIT = `
  CREATE SEQUENCE commit_failures;
  CREATE FUNCTION fail_first_commit() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF nextval('commit_failures') = 1 THEN
      RAISE EXCEPTION 'the chunk''s commit fails once';
    END IF;
    RETURN NULL;
  END $$;
  CREATE CONSTRAINT TRIGGER fail_first_commit AFTER DELETE ON processed_events
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fail_first_commit();`;

describe('a retry or dead letter decided in a chunk whose commit fails', () => {
  // Tier 1 waits long enough for the failed chunk to run again first, as it would in production.
  const kit = new KitHarness(uniqueName('kit'), { retryDelaysMs: [3_000, 3_000, 3_000] });
  /** Transient failures still to come, by event id. */
  const transientFailures = new Map<string, number>();
  const handlers: EventHandlers = {
    OrderCreated: async (event) => {
      if (event.payload.customerId === 'bug') throw new TypeError('price is undefined');
      const failures = transientFailures.get(event.eventId) ?? 0;
      transientFailures.set(event.eventId, failures - 1);
      if (failures > 0) throw new TransientError('database busy');
    },
  };

  beforeAll(async () => {
    await kit.setUp();
    await kit.sequelize.query(FAIL_FIRST_COMMIT);
    await kit.consumer(handlers).start();
  });
  afterAll(() => kit.tearDown());

  /** Arms the trap again: the next commit that gives up a processed-event row fails. */
  const failNextCommit = () =>
    kit.sequelize.query("SELECT setval('commit_failures', 1, false)", { type: QueryTypes.SELECT });
  const commitFailures = async () => {
    const [row] = await kit.sequelize.query<{ n: string }>(
      'SELECT last_value AS n FROM commit_failures',
      { type: QueryTypes.SELECT },
    );
    return Number(row!.n);
  };
  /** The group's offset on the harness topic has passed every record produced to it. */
  const settled = () =>
    withAdmin(kit.kafka, async (admin) => {
      const ends = await admin.fetchTopicOffsets(kit.topic);
      const [group] = await admin.fetchOffsets({
        groupId: kit.topology.groupId,
        topics: [kit.topic],
      });
      // A partition the group never committed on ('-1') is read from its start.
      return ends.every((end) => {
        const committed = group!.partitions.find((p) => p.partition === end.partition)?.offset;
        return (
          BigInt(committed === undefined || committed === '-1' ? end.low : committed) >=
          BigInt(end.high)
        );
      });
    });
  const recordsOf = async (topic: string, event: Envelope) =>
    (await new DeadLetterStore(kit.kafka, [topic]).list()).filter(
      (r) => (JSON.parse(r.value!.toString()) as Envelope).eventId === event.eventId,
    );

  it('writes the dead letter once', async () => {
    await failNextCommit();
    const event = orderCreated(undefined, 'bug');
    await kit.produce(event);
    const dlq = dlqTopicOf(kit.topic);
    await eventually(async () => (await recordsOf(dlq, event)).length > 0, 30_000, 'the DLQ');
    await eventually(settled, 30_000, 'the offsets committed past the record');
    // The trap went off: the chunk that dead-lettered the record did not commit the first time.
    expect(await commitFailures()).toBeGreaterThanOrEqual(2);
    const letters = await recordsOf(dlq, event);
    expect(letters).toHaveLength(1);
    expect(letters[0]!.headers['dlq.source']?.toString()).toMatch(
      new RegExp(`^${kit.topic}/\\d/\\d+$`),
    );
    expect(kit.logs.withMsg('DLQ send succeeded')).toHaveLength(1);
  });

  it('sends the record to its retry tier once, and it is applied from there', async () => {
    await failNextCommit();
    const event = orderCreated();
    // Once in the chunk whose commit fails, once when it runs again; applied from tier 1.
    transientFailures.set(event.eventId, 2);
    await kit.produce(event);
    await eventually(
      () => kit.logs.withMsg('message processed').some((l) => l.eventId === event.eventId),
      30_000,
      'the retried record applied',
    );
    await eventually(settled, 30_000, 'the offsets committed past the record');
    expect(await commitFailures()).toBeGreaterThanOrEqual(2);
    expect(await recordsOf(kit.topology.retryTopics[0]!, event)).toHaveLength(1);
  });
});
