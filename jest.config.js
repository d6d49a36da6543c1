// `unit` and `offline` run with no Kafka or PostgreSQL (offline needs the tools npm test installs:
// helm, promtool, a kube-apiserver it starts itself); `integration` runs every other *.test.ts
// under a test/ folder against the real stack (Kafka + PostgreSQL), which its global setup brings
// up; `k8s` runs on the local Kubernetes node.
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] };
const common = {
  transform,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  roots: [
    '<rootDir>/packages',
    '<rootDir>/services',
    '<rootDir>/scripts',
    '<rootDir>/test',
    '<rootDir>/cdk8s',
    '<rootDir>/charts',
    '<rootDir>/bench',
    '<rootDir>/chaos',
    '<rootDir>/third_party',
  ],
  testPathIgnorePatterns: ['/node_modules/'],
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      roots: [...common.roots, '<rootDir>/tools'],
      testMatch: [
        '**/src/**/*.test.ts',
        '<rootDir>/third_party/*.test.ts',
        '<rootDir>/scripts/*.test.ts',
        '<rootDir>/chaos/*.test.ts',
        '<rootDir>/tools/lint/*.test.ts',
      ],
    },
    {
      // The chart, the generated manifests and alerts: helm, promtool, a real kube-apiserver.
      ...common,
      displayName: 'offline',
      testMatch: ['<rootDir>/cdk8s/test/**/*.test.ts', '<rootDir>/charts/*/test/**/*.test.ts'],
      // The init container's script runs against the stack's PostgreSQL: integration has it.
      testPathIgnorePatterns: ['/node_modules/', 'charts/kafka-shop/test/dev-database-role'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['**/test/**/*.test.ts'],
      testPathIgnorePatterns: [
        '/node_modules/',
        '<rootDir>/test/k8s/',
        // What offline runs, except the chart's one test on the stack's PostgreSQL.
        '<rootDir>/cdk8s/test/',
        '<rootDir>/charts/[^/]+/test/(?!dev-database-role\\.test\\.ts)',
      ],
      globalSetup: '<rootDir>/packages/testkit/src/global-setup.ts',
      globalTeardown: '<rootDir>/packages/testkit/src/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/packages/testkit/src/integration-setup.ts'],
    },
    {
      // The chart on a real local Kubernetes node: `npm run test:k8s` builds the images, brings
      // the cluster up and runs this project inside the node's network namespace.
      ...common,
      displayName: 'k8s',
      testMatch: ['<rootDir>/test/k8s/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/k8s/support/setup.ts'],
      globalSetup: '<rootDir>/test/k8s/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/k8s/support/global-teardown.ts',
    },
  ],
};
