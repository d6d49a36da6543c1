import { pause, type FaultContext, type Scenario, type ScenarioTargets } from './scenario';

/** How long a broker stays dead: well past the 1.5 s broker session timeout, so it is fenced. */
const DOWN_MS = 12_000;

/** Two live brokers keep every partition writable (RF 3, min ISR 2): the saga should not stall. */
const FAIL_OVER: ScenarioTargets = { faultP99Ms: 5_000, recoveryMs: 5_000 };

/** SIGKILL of a broker that is not the active controller: leadership moves, ISR shrinks to two. */
export const brokerKill: Scenario = {
  name: 'SIGKILL one broker',
  targets: FAIL_OVER,
  async inject(context) {
    const { stack } = context;
    const controller = await stack.activeController();
    const victim = stack.stack.config.kafka.nodes.find((n) => n.id !== controller)!.id;
    return killAndRestart(context, victim, 'broker');
  },
};

/** SIGKILL of the active KRaft controller: the quorum elects another while clients carry on. */
export const controllerKill: Scenario = {
  name: 'SIGKILL active controller',
  targets: FAIL_OVER,
  async inject(context) {
    const { stack } = context;
    const controller = await stack.activeController();
    return killAndRestart(context, controller, 'active controller');
  },
};

async function killAndRestart(
  context: FaultContext,
  nodeId: number,
  role: string,
): Promise<number> {
  const { stack, marks } = context;
  stack.killBroker(nodeId);
  marks.push({ at: Date.now(), what: `${role} ${nodeId} killed` });
  await pause(DOWN_MS);
  marks.push({ at: Date.now(), what: `${role} ${nodeId} restarting` });
  await stack.restartBroker(nodeId);
  marks.push({ at: Date.now(), what: `${role} ${nodeId} back in every ISR` });
  return 1;
}
