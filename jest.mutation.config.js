// What Stryker runs for each mutant (npm run test:mutation): the unit tests only, which need no
// Kafka or PostgreSQL, so a mutant is judged in seconds.
const { projects } = require('./jest.config');

const unit = projects.find((p) => p.displayName === 'unit');
module.exports = {
  ...unit,
  rootDir: __dirname,
  displayName: undefined,
  roots: ['<rootDir>/packages', '<rootDir>/services'],
};
