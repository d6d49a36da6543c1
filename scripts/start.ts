/**
 * `npm start`: the whole system on one machine. Brings the stack up, runs every service
 * under services/ that has a `src/main.ts`, and on Ctrl-C stops all that it started.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { Client } from 'pg';
import { LOCAL_HTTP_PORTS, SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import {
  ConfigError,
  OPS_CONSOLE,
  Stack,
  StackError,
  loadStackConfig,
  spawnService,
  type LaunchedService,
  type LocalMonitoring,
} from '@shop/devstack';
import { localMonitoring, localTargets, printMonitoringUrls } from './local-monitoring';
import { terminalLog } from './terminal-log';

const ROOT = path.resolve(__dirname, '..');

/** The admin token for local runs; set ADMIN_TOKEN to choose another. */
const LOCAL_ADMIN_TOKEN = process.env.ADMIN_TOKEN ?? 'local-admin-token-not-a-secret';

/** The operations console, next to the four services' ports. */
const LOCAL_CONSOLE_PORT = 3005;

/**
 * The console's own database (its replays table) on the stack's PostgreSQL, made on its first
 * start: the stack makes the four services' databases, and the console is no saga participant.
 */
async function consoleDatabaseUrl(serviceDatabaseUrl: string): Promise<string> {
  const url = new URL(serviceDatabaseUrl);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      'ops_console',
    ]);
    if (!rowCount) await client.query('CREATE DATABASE ops_console');
  } finally {
    await client.end();
  }
  url.pathname = '/ops_console';
  return url.toString();
}

interface ServicePackage {
  readonly service: ServiceName;
  readonly dir: string;
}

function discoverServices(): ServicePackage[] {
  const servicesDir = path.join(ROOT, 'services');
  if (!fs.existsSync(servicesDir)) return [];
  return fs
    .readdirSync(servicesDir)
    .map((dir) => path.join(servicesDir, dir))
    .filter((dir) => fs.existsSync(path.join(dir, 'package.json')))
    .flatMap((dir) => {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
      };
      const service = SERVICE_NAMES.find((s) => pkg.name?.endsWith(s));
      return service && fs.existsSync(path.join(dir, 'src', 'main.ts')) ? [{ service, dir }] : [];
    });
}

/** A service's output: every line as written to its log file, and what matters to the terminal. */
function showOutput(
  child: ChildProcess,
  view: (line: string) => string | undefined,
  file: fs.WriteStream,
): void {
  for (const stream of [child.stdout!, child.stderr!]) {
    readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      file.write(`${line}\n`);
      const shown = view(line);
      if (shown !== undefined) console.log(shown);
    });
  }
  child.on('close', () => file.end());
}

async function main(): Promise<void> {
  const log = (line: string) => console.log(line);
  // --secure: SASL/SCRAM listeners and the catalog's ACLs, each service with its own user.
  const secure = process.argv.includes('--secure');
  const config = loadStackConfig(secure ? { ...process.env, KAFKA_SECURE: 'true' } : process.env);
  const stack = new Stack(config, log);
  const withMonitoring = process.argv.includes('--monitoring');
  // --verbose: every record's, request's and notification's line in the terminal too.
  const view = terminalLog({
    verbose: process.argv.includes('--verbose'),
    colour: process.stdout.isTTY === true,
  });
  const logDir = path.join(config.stateDir, 'logs');
  let monitoring: LocalMonitoring | undefined;
  const running: LaunchedService[] = [];
  let stackStarted: string[] = [];
  let stopping = false;

  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping ...');
    await Promise.all(
      running.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
          }),
      ),
    );
    await monitoring?.stop();
    if (stackStarted.length > 0) await stack.down(stackStarted);
    log('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  let result;
  try {
    result = await stack.up((component) => stackStarted.push(component));
  } catch (err) {
    if (stackStarted.length > 0) await stack.down(stackStarted);
    throw err;
  }
  stackStarted = result.started;
  log(
    result.started.length > 0
      ? `stack up (started ${result.started.join(', ')})`
      : 'stack already up',
  );
  log(`Kafka bootstrap servers: ${result.bootstrapServers.join(',')}`);

  const services = discoverServices();
  fs.mkdirSync(logDir, { recursive: true });
  for (const { service } of services) {
    const launched = spawnService(service, {
      bootstrapServers: result.bootstrapServers,
      databaseUrl: result.databaseUrls[service],
      httpPort: LOCAL_HTTP_PORTS[service],
      inventoryPort: LOCAL_HTTP_PORTS['inventory-service'],
      adminToken: LOCAL_ADMIN_TOKEN,
      seedDemoCatalog: true,
      kafkaSecurity: config.kafka.security,
      output: 'pipe',
    });
    const { child } = launched;
    showOutput(
      child,
      view,
      fs.createWriteStream(path.join(logDir, `${service}.log`), { flags: 'a' }),
    );
    running.push(launched);
    child.on('exit', (code, signal) => {
      if (!stopping) {
        log(`${service} exited (${signal ?? code}); stopping everything`);
        void shutdown(1);
      }
    });
  }
  // "Running" means answering: each service has migrated its database and joined Kafka.
  try {
    await Promise.all(
      running.map(async ({ service, url, ready }) => {
        await ready();
        log(`${service} ready: ${url}  (metrics /metrics, health /health/ready)`);
      }),
    );
  } catch (err) {
    if (stopping) return;
    log(`start: ${(err as Error).message}; stopping everything`);
    return shutdown(1);
  }
  if (services.some((s) => s.service === 'order-service')) {
    const opsConsole = spawnService(OPS_CONSOLE, {
      bootstrapServers: result.bootstrapServers,
      databaseUrl: await consoleDatabaseUrl(result.databaseUrls['order-service']),
      httpPort: LOCAL_CONSOLE_PORT,
      servicePorts: Object.fromEntries(
        services.map(({ service }) => [service, LOCAL_HTTP_PORTS[service]]),
      ),
      serviceDatabaseUrls: Object.fromEntries(
        services.map(({ service }) => [service, result.databaseUrls[service]]),
      ),
      adminToken: LOCAL_ADMIN_TOKEN,
      kafkaSecurity: config.kafka.security,
      output: 'pipe',
    });
    showOutput(
      opsConsole.child,
      view,
      fs.createWriteStream(path.join(logDir, `${OPS_CONSOLE}.log`), { flags: 'a' }),
    );
    running.push(opsConsole);
    opsConsole.child.on('exit', (code, signal) => {
      if (!stopping) {
        log(`${OPS_CONSOLE} exited (${signal ?? code}); stopping everything`);
        void shutdown(1);
      }
    });
    try {
      await opsConsole.ready();
    } catch (err) {
      if (stopping) return;
      log(`start: ${(err as Error).message}; stopping everything`);
      return shutdown(1);
    }
    log(`${OPS_CONSOLE} ready: ${opsConsole.url}  (dead letters, replays, order timelines, lag)`);
  }
  if (withMonitoring) {
    monitoring = localMonitoring(config);
    await monitoring.start(localTargets());
    printMonitoringUrls(log);
  }
  if (services.length === 0) log('no services to run yet');
  else log(`admin token (restock, new products, console sign-in): ${LOCAL_ADMIN_TOKEN}`);
  log(`each service's own log, every line as JSON: ${logDir}/<service>.log`);
  log(
    'system running; press Ctrl-C to stop (npm start -- --verbose: every record and request here too)',
  );
  // With no service yet, nothing else would keep the process alive until Ctrl-C.
  setInterval(() => undefined, 60_000);
}

main().catch((err: unknown) => {
  if (err instanceof StackError || err instanceof ConfigError)
    console.error(`start: ${err.message}`);
  else console.error(err);
  process.exit(1);
});
