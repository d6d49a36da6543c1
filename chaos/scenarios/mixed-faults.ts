import { producePoison } from '../poison-records';
import { pause, type Scenario } from './scenario';

/**
 * Everything at once: the active controller and payment-service killed, the network slow, the
 * database sessions cut and poison on every topic, then all healed together.
 */
export const mixedFaults: Scenario = {
  name: 'mixed',
  async inject(context) {
    const { stack, fleet } = context;
    // Poison first, straight to the brokers while they are all up; it is consumed during the faults.
    const poison = await producePoison(stack.directKafka('chaos-poison'), `${context.run}-mixed`);
    context.poison.push(...poison);
    let faults = poison.length;
    const controller = await stack.activeController();
    stack.killBroker(controller);
    await fleet.kill('payment-service');
    faults += 2;
    faults += await stack.poisonNetwork(
      [{ type: 'latency', attributes: { latency: 150, jitter: 50 } }],
      'both',
    );
    await pause(2_000);
    faults += await stack.cutDatabaseConnections();
    await pause(4_000);
    await stack.healNetwork();
    await Promise.all([stack.restartBroker(controller), fleet.start('payment-service')]);
    return faults;
  },
};
