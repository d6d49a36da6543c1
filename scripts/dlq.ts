/** `npm run dlq -- list|show|replay`: inspect dead letters and send them back after a fix. */
import { parseArgs } from 'node:util';
import { createLogger } from '@shop/observability';
import { DeadLetterStore, ReliableProducer, createKafka, type DeadLetter } from '@shop/messaging';
import { UsageError, runTool, toolBrokers, toolKafka, toolMessagingSettings } from './kafka-tool';

const USAGE = `usage: npm run dlq -- <command> [filters]

  list                                    every dead letter with its dlq.* headers
  show <dlq-topic> <partition> <offset>   one dead letter, value decoded
  replay <dlq-topic> <partition> <offset> send one back to the service that failed it
  replay --all                            send back every dead letter matching the filters

filters: --topic <dlq-topic>  --service <name>  --error-class <class>
replay:  --dry-run lists what would be replayed and sends nothing
         --max-replays <n> (3): a record replayed n times already is parked, not sent again
The operations console (npm start: http://127.0.0.1:3005) does the same with filters by time
and text, the order's state beside each record, and a record of every replay.`;

const brokers = toolBrokers();

runTool('dlq', brokers, async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      topic: { type: 'string' },
      service: { type: 'string' },
      'error-class': { type: 'string' },
      all: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      'max-replays': { type: 'string', default: '3' },
      help: { type: 'boolean', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const store = new DeadLetterStore(toolKafka(brokers, 'dlq-tool'));
  const filter = {
    dlqTopic: values.topic,
    service: values.service,
    errorClass: values['error-class'],
  };

  const one = async (): Promise<DeadLetter> => {
    const [topic, partition, offset] = rest;
    if (!topic || partition === undefined || offset === undefined)
      throw new UsageError(`${command} needs <dlq-topic> <partition> <offset>`);
    const letter = await store.find(topic, Number(partition), offset);
    if (!letter)
      throw new UsageError(`no dead letter at ${topic} partition ${partition} offset ${offset}`);
    return letter;
  };

  switch (command) {
    case 'list': {
      const letters = await store.list(filter);
      for (const d of letters) {
        console.log(
          `${d.dlqTopic} ${d.partition} ${d.offset}  ${d.errorTimestamp}  service=${d.service} original=${d.originalTopic}/${d.originalPartition}/${d.originalOffset} replays=${d.replayCount}  ${d.errorClass}: ${d.errorMessage}`,
        );
      }
      console.log(`${letters.length} dead letter(s)`);
      return 0;
    }
    case 'show': {
      const d = await one();
      const headers = Object.fromEntries(Object.entries(d.headers).map(([k, v]) => [k, String(v)]));
      let value: unknown = d.value?.toString('utf8');
      try {
        value = JSON.parse(String(value));
      } catch {
        value = { undecodable: true, base64: d.value?.toString('base64') };
      }
      console.log(
        JSON.stringify(
          {
            topic: d.dlqTopic,
            partition: d.partition,
            offset: d.offset,
            key: d.key?.toString(),
            headers,
            value,
          },
          null,
          2,
        ),
      );
      return 0;
    }
    case 'replay': {
      const maxReplays = Number(values['max-replays']);
      if (!Number.isInteger(maxReplays) || maxReplays < 1)
        throw new UsageError('--max-replays takes a whole number of at least 1');
      const asked = values.all ? await store.list(filter) : [await one()];
      const letters = asked.filter((d) => d.replayCount < maxReplays);
      for (const d of asked.filter((d) => d.replayCount >= maxReplays))
        console.log(
          `parked ${d.dlqTopic} ${d.partition} ${d.offset}: replayed ${d.replayCount} time(s) already, not sent`,
        );
      if (values['dry-run']) {
        for (const d of letters)
          console.log(
            `would replay ${d.dlqTopic} ${d.partition} ${d.offset} to ${d.service}-retry-1`,
          );
        console.log(`${letters.length} dead letter(s) would be replayed (dry run)`);
        return 0;
      }
      const settings = toolMessagingSettings(brokers, 'dlq-tool');
      const producer = new ReliableProducer(
        createKafka(settings, createLogger('dlq-tool', 'error')),
        settings,
      );
      await producer.connect();
      try {
        const targets = await store.replay(letters, producer);
        letters.forEach((d, i) =>
          console.log(`replayed ${d.dlqTopic} ${d.partition} ${d.offset} to ${targets[i]}`),
        );
      } finally {
        await producer.disconnect();
      }
      console.log(`${letters.length} dead letter(s) replayed`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command ${command}\n${USAGE}`);
  }
});
