import type { ScenarioResult } from './run-scenario';
import { missedTargets, scenarioTable, slowStepLines } from './report';
import { scenariosOf } from './scenarios';

const result = (overrides: Partial<ScenarioResult>): ScenarioResult => ({
  name: 'SIGKILL one broker',
  orders: 359,
  refused: 0,
  faults: 1,
  recoveryMs: 3_100,
  settleMs: 2_000,
  faultFrom: 0,
  faultMs: 12_400,
  duringFault: { completed: 120, p99Ms: 4_200 },
  beforeFault: { completed: 40, p99Ms: 900 },
  stepsDuringFault: [],
  targets: { faultP99Ms: 5_000, recoveryMs: 5_000 },
  shutdowns: [],
  violations: [],
  ...overrides,
});

describe('the chaos report against the fail-over targets', () => {
  it('prints each figure with its target and whether it was met', () => {
    const [, , row] = scenarioTable([result({})]);
    expect(row).toContain('4.2 s (≤ 5 s met)');
    expect(row).toContain('3.1 s (≤ 5 s met)');
    expect(missedTargets([result({})])).toEqual([]);
  });

  it('names every missed target, and a fault window with no completed order as missed', () => {
    const slow = result({
      recoveryMs: 25_600,
      duringFault: { completed: 40, p99Ms: 21_000 },
    });
    expect(scenarioTable([slow])[2]).toContain('21.0 s (≤ 5 s MISSED)');
    expect(missedTargets([slow])).toEqual([
      '  SIGKILL one broker: p99 during the fault 21.0 s > 5.0 s',
      '  SIGKILL one broker: recovery 25.6 s > 5.0 s',
    ]);
    expect(missedTargets([result({ duringFault: { completed: 0 } })])).toEqual([
      '  SIGKILL one broker: p99 during the fault - > 5.0 s',
    ]);
  });

  it('holds a scenario without targets to none', () => {
    expect(missedTargets([result({ targets: undefined, recoveryMs: 60_000 })])).toEqual([]);
  });
});

describe('choosing scenarios', () => {
  it('runs only the scenarios named, and refuses a name that matches none', () => {
    expect(scenariosOf('full', ['broker', 'CONTROLLER']).map((s) => s.name)).toEqual([
      'SIGKILL one broker',
      'SIGKILL active controller',
    ]);
    expect(scenariosOf('full', []).length).toBe(14);
    expect(() => scenariosOf('full', ['no such fault'])).toThrow('no full scenario matches');
  });

  it('holds the broker, controller and network-reset scenarios to the fail-over targets', () => {
    const targeted = scenariosOf('full')
      .filter((s) => s.targets)
      .map((s) => [s.name, s.targets]);
    expect(targeted).toEqual([
      ['SIGKILL one broker', { faultP99Ms: 5_000, recoveryMs: 5_000 }],
      ['SIGKILL active controller', { faultP99Ms: 5_000, recoveryMs: 5_000 }],
      ['network resets', { recoveryMs: 5_000 }],
    ]);
  });
});

describe('where the time of a fault went', () => {
  const step = (name: string, p99Ms: number) => ({
    step: name,
    count: 10,
    p50Ms: 100,
    p99Ms,
    maxMs: p99Ms + 100,
    medianStartMs: 0,
    slowestStartMs: 2_000,
  });

  it('lists the steps over a second, slowest first, with when the slowest began', () => {
    const lines = slowStepLines(
      [
        step('OrderCreated → inventory-service', 1_500),
        step('OrderCreated: relay (order-service)', 3_400),
        step('fast', 900),
      ],
      1_000,
    );
    expect(lines).toEqual([
      '    OrderCreated: relay (order-service): p50 0.1 s, p99 3.4 s, max 3.5 s at +1.0 s (10)',
      '    OrderCreated → inventory-service: p50 0.1 s, p99 1.5 s, max 1.6 s at +1.0 s (10)',
    ]);
  });
});
