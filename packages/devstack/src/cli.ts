import path from 'node:path';
import { serviceSettingOf, type ServiceName } from '@shop/contracts';
import { ConfigError, loadStackConfig } from './config';
import { StackError } from './errors';
import { Stack, type StackEndpoints } from './stack';

const USAGE = `usage: npm run stack -- <command>

  up      start Kafka (KRaft) and PostgreSQL; harmless when already up
  down    stop everything the stack started
  reset   stop, then delete all Kafka and PostgreSQL data
  status  show what runs, on which ports, and where it logs
  fetch   resolve the Kafka jars from Maven Central (up does this when they are missing)

settings (environment): KAFKA_NODES=3|1  KAFKA_PORT_BASE=19092  PG_PORT=15432
                        KAFKA_HEAP=512m  DEVSTACK_DIR=.devstack  JAVA_HOME
                        KAFKA_PROXY_PORT_BASE (a proxied listener per broker, for npm run chaos)`;

export function printEndpoints(endpoints: StackEndpoints, log: (line: string) => void): void {
  log(`KAFKA_BROKERS=${endpoints.bootstrapServers.join(',')}`);
  for (const [service, url] of Object.entries(endpoints.databaseUrls)) {
    log(`${serviceSettingOf(service as ServiceName, 'DATABASE_URL')}=${url}`);
  }
}

async function main(argv: string[]): Promise<number> {
  const command = argv[0];
  const log = (line: string) => console.log(line);
  const stack = new Stack(loadStackConfig(), log);

  switch (command) {
    case 'up': {
      const startedHere: string[] = [];
      const onSigint = () => {
        log('interrupted: stopping what this run started ...');
        void stack.down(startedHere).finally(() => process.exit(130));
      };
      process.once('SIGINT', onSigint);
      const began = Date.now();
      const result = await stack.up((c) => startedHere.push(c));
      process.off('SIGINT', onSigint);
      const seconds = ((Date.now() - began) / 1000).toFixed(1);
      log(
        result.started.length > 0
          ? `stack up in ${seconds}s (started ${result.started.join(', ')})`
          : 'stack already up',
      );
      if (result.createdTopics.length > 0) log(`created ${result.createdTopics.length} topics`);
      printEndpoints(result, log);
      return 0;
    }
    case 'down': {
      const stopped = await stack.down();
      log(stopped.length > 0 ? `stopped ${stopped.join(', ')}` : 'nothing was running');
      return 0;
    }
    case 'fetch':
      stack.fetchJars();
      log(`Kafka jars ready in ${path.relative(process.cwd(), stack.config.kafka.libDir)}`);
      return 0;
    case 'reset':
      await stack.reset();
      log(`stopped the stack and deleted ${stack.config.stateDir}`);
      return 0;
    case 'status': {
      const status = await stack.status();
      for (const c of status.components) {
        const state = c.pid !== undefined ? `running (pid ${c.pid})` : 'stopped';
        log(
          `${c.name.padEnd(10)} ${state.padEnd(22)} ports ${c.ports.join(',').padEnd(12)} log ${path.relative(process.cwd(), c.log)}`,
        );
      }
      if (status.underReplicated) {
        log(
          status.underReplicated.length === 0
            ? 'all partitions fully replicated'
            : `under-replicated partitions: ${status.underReplicated.join(', ')}`,
        );
      }
      return status.components.every((c) => c.pid !== undefined) ? 0 : 3;
    }
    default:
      log(USAGE);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof StackError || err instanceof ConfigError) {
      console.error(`devstack: ${err.message}`);
    } else {
      console.error(err);
    }
    process.exit(1);
  },
);
