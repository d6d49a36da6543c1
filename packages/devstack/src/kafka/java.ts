import { spawnSync } from 'node:child_process';
import { StackError } from '../errors';

/** Kafka 4 brokers and tools need Java 17 or newer. */
export const MINIMUM_JAVA = 17;

/** The major version in `java -version` output: "17.0.15" is 17, the old "1.8.0_402" is 8. */
export function javaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/**
 * Fails with one actionable line when Java is missing or too old: an old JVM would otherwise
 * only show up as brokers that never become ready, two minutes later.
 */
export function requireJava(javaBin: string): void {
  const advice = 'apt-get install openjdk-17-jre-headless, or set JAVA_HOME to a Java 17+ install';
  const result = spawnSync(javaBin, ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0)
    throw new StackError(
      `Java ${MINIMUM_JAVA}+ is needed for Kafka but \`${javaBin}\` did not run: ${advice}`,
    );
  const major = javaMajorVersion(`${result.stderr}${result.stdout}`);
  if (major !== undefined && major < MINIMUM_JAVA)
    throw new StackError(
      `Java ${MINIMUM_JAVA}+ is needed for Kafka but \`${javaBin}\` is Java ${major}: ${advice}`,
    );
}
