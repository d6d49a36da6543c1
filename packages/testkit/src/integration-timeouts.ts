// Integration suites start brokers, wait for rebalances and ISR changes: seconds, not milliseconds.
jest.setTimeout(120_000);
