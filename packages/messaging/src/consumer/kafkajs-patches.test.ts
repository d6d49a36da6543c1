import {
  PATCHED_KAFKAJS_VERSION,
  isCoordinatorLost,
  patchKafkajsConsumer,
} from './kafkajs-patches';

describe("the kit's kafkajs consumer patches", () => {
  it('tells a lost coordinator from other failures', () => {
    const named = (name: string) => Object.assign(new Error('x'), { name });
    const typed = (type: string) =>
      Object.assign(new Error('x'), { name: 'KafkaJSProtocolError', type });
    expect(isCoordinatorLost(named('KafkaJSConnectionError'))).toBe(true);
    expect(isCoordinatorLost(named('KafkaJSConnectionClosedError'))).toBe(true);
    expect(isCoordinatorLost(named('KafkaJSRequestTimeoutError'))).toBe(true);
    expect(isCoordinatorLost(typed('NOT_COORDINATOR_FOR_GROUP'))).toBe(true);
    expect(isCoordinatorLost(typed('GROUP_COORDINATOR_NOT_AVAILABLE'))).toBe(true);
    // A rebalance or a fenced generation is kafkajs' to handle by rejoining.
    expect(isCoordinatorLost(typed('REBALANCE_IN_PROGRESS'))).toBe(false);
    expect(isCoordinatorLost(typed('ILLEGAL_GENERATION'))).toBe(false);
    expect(isCoordinatorLost(typed('UNKNOWN_MEMBER_ID'))).toBe(false);
    expect(isCoordinatorLost(new TypeError('bug'))).toBe(false);
    expect(isCoordinatorLost(undefined)).toBe(false);
  });

  it('refuses a kafkajs it was not written for', () => {
    expect(() => patchKafkajsConsumer('2.3.0')).toThrow(
      `patches kafkajs ${PATCHED_KAFKAJS_VERSION}'s consumer, but kafkajs 2.3.0 is installed`,
    );
  });
});
