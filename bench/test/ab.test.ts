import { configurations, envOf, type Lever } from '../ab/levers';
import { summarize } from '../ab/summary';
import type { AbRun } from '../ab/run';
import { parseKafkaRequests } from '../saga/server-counters';
import { scalePlan } from '../scale';

const levers: Lever[] = [
  { name: 'a', env: { A: ['0', '1'] }, services: ['order-service', 'inventory-service'] },
  { name: 'b', env: { B: ['x', 'y'], C: ['1', '2'] }, services: ['inventory-service'] },
  { name: 'c', env: { D: ['off', 'on'] }, services: ['payment-service'] },
];

describe('the A/B configurations', () => {
  it('are the baseline, each lever alone, all levers and all minus each', () => {
    expect(configurations(levers).map((c) => c.name)).toEqual([
      'baseline',
      'a',
      'b',
      'c',
      'all levers',
      'all - a',
      'all - b',
      'all - c',
    ]);
  });

  it('list a set of levers once: with one lever, all is that lever and all minus it the baseline', () => {
    expect(configurations([levers[0]!]).map((c) => c.name)).toEqual(['baseline', 'a']);
  });

  it('set every lever of a service explicitly, on or at its baseline, and nothing of other services', () => {
    const [, , b] = configurations(levers);
    expect(envOf(levers, b!, 'inventory-service')).toEqual({ A: '0', B: 'y', C: '2' });
    expect(envOf(levers, b!, 'order-service')).toEqual({ A: '0' });
    expect(envOf(levers, b!, 'notification-service')).toEqual({});
  });
});

describe('the A/B summary', () => {
  const run = (configuration: string, repeat: number, system: number, p99: number): AbRun => ({
    configuration,
    repeat,
    cpuMsPerOrder: { 'order-service': system / 2 },
    systemMsPerOrder: system,
    machineMsPerOrder: system,
    loadGeneratorMsPerOrder: 1,
    terminalPerSecond: 30,
    p50Ms: p99 / 2,
    p99Ms: p99,
    sustained: true,
    startupMs: {},
    perOrder: { statements: system },
  });

  it('takes each ratio against the baseline of the same repeat, then the median', () => {
    // The machine got twice as slow in repeat 1: ratios within a repeat do not see it.
    const runs = [
      run('baseline', 0, 40, 400),
      run('a', 0, 20, 200),
      run('baseline', 1, 80, 800),
      run('a', 1, 40, 400),
      run('baseline', 2, 40, 400),
      run('a', 2, 30, 100),
    ];
    const [baseline, a] = summarize(configurations([levers[0]!]), runs);
    expect(baseline!.ratio.systemMsPerOrder).toBe(1);
    expect(a!.ratio.systemMsPerOrder).toBe(0.5);
    expect(a!.ratio.p99Ms).toBe(0.5);
    expect(a!.ratio.cpuMsPerOrder['order-service']).toBe(0.5);
    expect(a!.median.systemMsPerOrder).toBe(30);
    expect(a!.median.perOrder.statements).toBe(30);
    expect(a!.sustained).toBe(3);
  });
});

describe('the paper plan for 2,000 orders/s', () => {
  it('sizes replicas from CPU per order and shows where six partitions cap a consumer group', () => {
    const partitions = new Map(
      [
        'order-created',
        'order-cancelled',
        'order-completed',
        'payment-requested',
        'stock-reserved',
        'insufficient-stock',
        'stock-deducted',
        'stock-restored',
        'payment-completed',
        'payment-failed',
        'payment-refunded',
      ].map((t) => [t, 6]),
    );
    const plan = scalePlan(
      {
        'order-service': 7,
        'inventory-service': 1.4,
        'payment-service': 0.35,
        'notification-service': 0.35,
        'kafka-1': 1,
        'kafka-2': 1,
        postgres: 2,
      },
      'test',
      2_000,
      partitions,
    );
    const order = plan.services.find((s) => s.service === 'order-service')!;
    expect(order.cores).toBe(14);
    expect(order.replicas).toBe(20); // 14 cores at 70 % of one core each
    expect(order.partitions).toBe(6);
    expect(order.cappedAtOrdersPerSecond).toBeCloseTo(600); // 6 replicas × 100 orders/s
    expect(order.partitionsNeeded).toBe(20);
    const payment = plan.services.find((s) => s.service === 'payment-service')!;
    expect(payment.replicas).toBe(1);
    expect(payment.partitionsNeeded).toBe(6);
    expect(plan.brokerCores).toBe(4);
    expect(plan.postgresCores).toBe(4);
    expect(plan.totalCores).toBeCloseTo(14 + 2.8 + 0.7 + 0.7 + 4 + 4);
  });
});

describe('kafka_client_requests_total from /metrics', () => {
  it('is summed by API whatever the other labels', () => {
    const text = [
      '# HELP kafka_client_requests_total Requests',
      'kafka_client_requests_total{api="Produce",service="order-service"} 12',
      'kafka_client_requests_total{service="order-service",api="Fetch"} 3',
      'kafka_messages_processed_total{service="order-service"} 99',
    ].join('\n');
    expect(parseKafkaRequests(text)).toEqual({ Produce: 12, Fetch: 3 });
  });
});
