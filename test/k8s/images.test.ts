import { Client } from 'pg';
import { SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import { bootstrapServers, loadStackConfig } from '@shop/devstack';
import { eventually } from '@shop/testkit';
import { imageOf, renderedPods, secretsFor, stackDatabaseUrls, type PodSpec } from './support/chart';
import { podman, rssMiB } from './support/podman';

/**
 * Each built image, started as the chart starts it: the pod's user and group, a read-only root
 * file system with /tmp as the only writable place (the chart's emptyDir), no capabilities, no
 * privilege escalation, and the container's env with its Secrets resolved. Only the addresses
 * differ (no cluster DNS here): KAFKA_BROKERS is the stack's, and each service gets a database
 * of its own.
 * It must become ready; its idle memory is reported (the goal is a benchmark figure, not asserted).
 */
const pods = renderedPods();
const idleRss: Partial<Record<ServiceName, number>> = {};

async function freshDatabases(): Promise<Record<ServiceName, string>> {
  const urls = stackDatabaseUrls();
  const admin = new Client({ connectionString: urls['order-service'] });
  await admin.connect();
  try {
    const fresh = {} as Record<ServiceName, string>;
    for (const service of SERVICE_NAMES) {
      const name = `image_${service.replace(/-/g, '_')}`;
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${name}"`);
      fresh[service] = urls[service].replace(/\/[^/]+$/, `/${name}`);
    }
    return fresh;
  } finally {
    await admin.end();
  }
}

function runArgs(pod: PodSpec, secrets: Record<string, Record<string, string>>): string[] {
  const container = pod.containers[0]!;
  const env = container.env.map(({ name, value, valueFrom }) => {
    if (name === 'KAFKA_BROKERS') return `${name}=${bootstrapServers(loadStackConfig()).join(',')}`;
    const resolved = valueFrom
      ? secrets[valueFrom.secretKeyRef.name]?.[valueFrom.secretKeyRef.key]
      : value;
    if (resolved === undefined) throw new Error(`${container.name}: nothing for env ${name}`);
    return `${name}=${resolved}`;
  });
  const tmp = container.volumeMounts.filter(
    (m) => pod.volumes.find((v) => v.name === m.name)?.emptyDir !== undefined,
  );
  return [
    '--network',
    'host',
    '--user',
    `${pod.securityContext.runAsUser}:${pod.securityContext.runAsGroup}`,
    ...(container.securityContext.readOnlyRootFilesystem ? ['--read-only'] : []),
    ...tmp.flatMap((m) => ['--tmpfs', `${m.mountPath}:rw,mode=1777`]),
    ...container.securityContext.capabilities.drop.flatMap((c) => ['--cap-drop', c]),
    ...(container.securityContext.allowPrivilegeEscalation
      ? []
      : ['--security-opt', 'no-new-privileges']),
    ...env.flatMap((e) => ['--env', e]),
  ];
}

describe('the service images', () => {
  let secrets: Record<string, Record<string, string>>;

  beforeAll(async () => {
    secrets = secretsFor(await freshDatabases());
  });

  afterAll(() => {
    process.stderr.write(`[images] idle RSS MiB: ${JSON.stringify(idleRss)}\n`);
  });

  it.each(SERVICE_NAMES)('%s starts with the chart pod settings and becomes ready', async (service) => {
    const pod = pods.get(service)!;
    expect(pod.containers[0]!.image).toBe(imageOf(service));
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    const port = pod.containers[0]!.env.find((e) => e.name === 'HTTP_PORT')!.value;
    const id = podman(['run', '--detach', ...runArgs(pod, secrets), imageOf(service)]);
    try {
      await eventually(
        () =>
          fetch(`http://127.0.0.1:${port}/health/ready`).then(
            (r) => r.status === 200,
            () => false,
          ),
        90_000,
        `${service} to be ready`,
      );
      // Running as the pod's user, writing nowhere but /tmp.
      expect(podman(['inspect', '--format', '{{.Config.User}} {{.HostConfig.ReadonlyRootfs}}', id])).toBe(
        `${pod.securityContext.runAsUser}:${pod.securityContext.runAsGroup} true`,
      );
      await new Promise((r) => setTimeout(r, 10_000));
      idleRss[service] = Math.round(rssMiB(Number(podman(['inspect', '--format', '{{.State.Pid}}', id]))));
    } catch (err) {
      process.stderr.write(`[images] ${service} log:\n${podman(['logs', '--tail', '40', id])}\n`);
      throw err;
    } finally {
      podman(['rm', '--force', '--time', '10', id]);
    }
  });
});
