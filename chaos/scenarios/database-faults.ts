import { pause, type Scenario } from './scenario';

export const postgresRestart: Scenario = {
  name: 'PostgreSQL restart',
  async inject({ stack }) {
    await stack.restartPostgres();
    return 1;
  },
};

/** Every database session of every service terminated, twice, as a failover would do it. */
export const connectionCut: Scenario = {
  name: 'database connections cut',
  async inject({ stack }) {
    let cut = 0;
    for (let i = 0; i < 3; i++) {
      cut += await stack.cutDatabaseConnections();
      await pause(4_000);
    }
    return cut;
  },
};
