// Integration suites start brokers, wait for rebalances and ISR changes: seconds, not milliseconds.
jest.setTimeout(120_000);

// Services started inside the test process share it; their OpenTelemetry SDKs stay off here
// (OTEL_SDK_DISABLED is the standard switch). Tracing is tested with real service processes.
process.env.OTEL_SDK_DISABLED = 'true';
