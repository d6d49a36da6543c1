import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StackError } from '../errors';

const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

/**
 * Resolves the broker's jars from Maven Central into libDir once; later runs
 * reuse them (and Maven's own cache), so the stack starts offline after the first run.
 */
export function ensureKafkaJars(
  pomFile: string,
  libDir: string,
  log: (line: string) => void,
): void {
  const pomHash = crypto.createHash('sha256').update(fs.readFileSync(pomFile)).digest('hex');
  const marker = path.join(libDir, '.pom-sha256');
  if (readIfExists(marker) === pomHash) return;

  requireCommand(
    'mvn',
    ['-v'],
    'Maven (mvn) is needed once to fetch the Kafka jars: apt-get install maven',
  );
  log(`fetching Kafka jars from Maven Central into ${path.relative(process.cwd(), libDir)} ...`);
  fs.rmSync(libDir, { recursive: true, force: true });
  const result = spawnSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      pomFile,
      `${DEPENDENCY_PLUGIN}:copy-dependencies`,
      `-DoutputDirectory=${libDir}`,
      '-DincludeScope=runtime',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (result.status !== 0) {
    const detail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-5).join(' | ');
    throw new StackError(`mvn could not resolve the Kafka jars (${detail})`);
  }
  fs.writeFileSync(marker, pomHash);
}

export function requireCommand(command: string, args: string[], advice: string): void {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  if (result.error || result.status !== 0) throw new StackError(advice);
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}
