// npm run test:mutation: mutation testing of the code whose correctness matters most and whose
// tests are fast (docs/testing.md says what it covers, the score and the mutants accepted).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.mutation.config.js',
    enableFindRelatedTests: true,
  },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.mutation.json',
  // The sandbox holds only the code and its unit tests: no stack state, tools or images.
  ignorePatterns: [
    '/*',
    '!/packages',
    '!/services',
    '!/package.json',
    '!/tsconfig.base.json',
    '!/tsconfig.mutation.json',
    '!/jest.config.js',
    '!/jest.mutation.config.js',
    '**/dist',
    '/packages/devstack/kafka/lib',
  ],
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  mutate: [
    'services/*/src/domain/**/*.ts',
    'packages/contracts/src/**/*.ts',
    'packages/messaging/src/errors.ts',
    'packages/messaging/src/settings.ts',
    'packages/messaging/src/consumer/dead-letter.ts',
    'packages/messaging/src/consumer/record-origin.ts',
    '!**/*.test.ts',
    '!**/index.ts',
  ],
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  thresholds: { high: 90, low: 80, break: 80 },
  concurrency: 2,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
