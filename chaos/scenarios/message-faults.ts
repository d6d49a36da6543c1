import { SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import { placeDeadLetteredOrder } from '../dead-lettered-order';
import { producePoison } from '../poison-records';
import { rewindGroup } from '../offset-replay';
import { terminateGracefully } from './service-faults';
import { pause, type FaultContext, type Scenario } from './scenario';

/**
 * Not JSON, wrong schema, huge, wrong headers: onto every consumed topic, straight to Kafka; and
 * an order whose own OrderCreated is dead-lettered, which only the saga's deadline ends.
 */
export const poisonRecords: Scenario = {
  name: 'poison records',
  async inject(context) {
    const poison = await producePoison(context.stack.directKafka('chaos-poison'), context.run);
    context.poison.push(...poison);
    context.deadLettered.push(await placeDeadLetteredOrder(context));
    return poison.length + 1;
  },
};

/** The services' groups rewound to where they stood a minute before the scenario began. */
async function replayGroups(
  context: FaultContext,
  services: readonly ServiceName[],
): Promise<number> {
  const kafka = context.stack.directKafka('chaos-replay');
  let replayed = 0;
  for (const service of services) {
    replayed += await rewindGroup(kafka, service, context.startedAt - 60_000);
  }
  return replayed;
}

/**
 * Duplicate delivery: the services are stopped with SIGTERM (held to the shutdown bound), their
 * groups rewound, and restarted: the records since then all come again.
 */
export const offsetReplay: Scenario = {
  name: 'SIGTERM all + offsets rewound',
  async inject(context) {
    await terminateGracefully(context, SERVICE_NAMES);
    const replayed = await replayGroups(context, SERVICE_NAMES);
    await Promise.all(SERVICE_NAMES.map((s) => context.fleet.start(s)));
    return replayed;
  },
};

/**
 * The same for the service that holds the stock alone: a deployment's SIGTERM mid-traffic, then
 * everything it consumed in the last minute delivered again. Cheaper than stopping all four.
 */
export const inventoryReplay: Scenario = {
  name: 'SIGTERM inventory + offsets rewound',
  async inject(context) {
    // Deep enough into the traffic that the group has committed work to deliver again.
    await pause(5_000);
    await terminateGracefully(context, ['inventory-service']);
    const replayed = await replayGroups(context, ['inventory-service']);
    await context.fleet.start('inventory-service');
    return replayed + 1;
  },
};
