// Two projects: `unit` runs with no infrastructure; `integration` runs every *.test.ts under a
// test/ folder against the real stack (Kafka + PostgreSQL), which its global setup brings up.
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
    '<rootDir>/third_party',
  ],
  testPathIgnorePatterns: ['/node_modules/'],
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['**/src/**/*.test.ts', '<rootDir>/third_party/*.test.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['**/test/**/*.test.ts'],
      globalSetup: '<rootDir>/packages/testkit/src/global-setup.ts',
      globalTeardown: '<rootDir>/packages/testkit/src/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/packages/testkit/src/integration-setup.ts'],
    },
  ],
};
