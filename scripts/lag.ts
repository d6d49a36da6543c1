/** `npm run lag [-- --group <id>...]`: consumer lag per group, topic and partition, and in total. */
import { parseArgs } from 'node:util';
import { consumerLag, formatLag } from '@shop/messaging';
import { runTool, toolBrokers, toolKafka } from './kafka-tool';

const brokers = toolBrokers();

runTool('lag', brokers, async () => {
  const { values } = parseArgs({ options: { group: { type: 'string', multiple: true } } });
  const rows = await consumerLag(toolKafka(brokers, 'lag-tool'), values.group);
  console.log(rows.length > 0 ? formatLag(rows) : 'no committed offsets for any consumer group');
  return 0;
});
