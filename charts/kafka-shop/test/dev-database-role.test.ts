import { spawn } from 'node:child_process';
import { Client } from 'pg';
import { SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import { loadInventoryConfig, startInventoryService } from '@shop/inventory-service';
import { loadNotificationConfig, startNotificationService } from '@shop/notification-service';
import { loadOrderConfig, startOrderService } from '@shop/order-service';
import { loadPaymentConfig, startPaymentService } from '@shop/payment-service';
import type { StartedService } from '@shop/service-kit';
import { testStack, uniqueName } from '@shop/testkit';
import { DEV_VALUES, ROOT, renderChart } from './helm';
import { kubeletEnv, type EnvVar, type RenderedSecret } from './kubelet-env';

/**
 * The dev values' database wiring against a real PostgreSQL 18 (the stack's; CloudNativePG 1.30's
 * default image is 18 too): a role as the Cluster's managed.roles creates it (LOGIN, nothing
 * else), owner of its database as the Database resource makes it, its generated password in the
 * URL the kubelet composes. The pod's init container waits until they exist; then each service
 * must migrate and become ready as that role, which is no superuser, unlike the stack's own.
 */

interface Container {
  name: string;
  args?: string[];
  env: EnvVar[];
}
interface Obj extends RenderedSecret {
  kind: string;
  spec: { template?: { spec: { initContainers?: Container[]; containers: Container[] } } };
}

const START: Record<ServiceName, (env: Record<string, string>) => Promise<StartedService>> = {
  'order-service': (env) => startOrderService(loadOrderConfig(env)),
  'inventory-service': (env) => startInventoryService(loadInventoryConfig(env)),
  'payment-service': (env) => startPaymentService(loadPaymentConfig(env)),
  'notification-service': (env) => startNotificationService(loadNotificationConfig(env)),
};

describe('the dev values on PostgreSQL, as CloudNativePG sets it up', () => {
  const docs = renderChart<Obj>(DEV_VALUES);
  const secrets = docs.filter((d) => d.kind === 'Secret');
  const adminUrl = testStack().endpoints().databaseUrls['order-service'];
  const stackAddress = new URL(adminUrl).host;

  const asAdmin = async (sql: string) => {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  };

  /** The init container's node, run here with the repo's node_modules as the image has its own. */
  const waitFor = (init: Container, databaseUrl: string) => {
    const child = spawn(process.execPath, init.args!, {
      cwd: ROOT,
      env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    return { child, exited, output: () => output };
  };

  it.each(SERVICE_NAMES)(
    '%s waits for its database, then migrates and becomes ready as its own role, owner of it',
    async (service) => {
      const pod = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === service)!.spec
        .template!.spec;
      const env = kubeletEnv(pod.containers[0]!.env, secrets);
      const init = pod.initContainers!.find((c) => c.name === 'wait-for-database')!;
      expect(kubeletEnv(init.env, secrets).DATABASE_URL).toBe(env.DATABASE_URL);
      const composed = new URL(env.DATABASE_URL!);
      // The stack is shared: its own role and database for this test, named after the chart's.
      const role = `${decodeURIComponent(composed.username)}_${uniqueName('t').slice(2)}`;
      // Only what a pod has and this process has not: the Cluster's -rw Service by its address.
      composed.username = role;
      composed.host = stackAddress;
      composed.pathname = `/${role}`;
      const databaseUrl = composed.toString();

      const waiting = waitFor(init, databaseUrl);
      let started: StartedService | undefined;
      try {
        // No role, no database yet, as before the operator has made them: the pod waits.
        await new Promise((r) => setTimeout(r, 3000));
        expect(waiting.child.exitCode).toBeNull();
        expect(waiting.output()).toContain('waiting for the database');
        await asAdmin(`CREATE ROLE "${role}" LOGIN PASSWORD '${env.DATABASE_PASSWORD}'`);
        await asAdmin(`CREATE DATABASE "${role}" OWNER "${role}"`);
        expect(await waiting.exited).toBe(0);

        // The stack's Kafka, without the cluster's TLS and SCRAM.
        const {
          KAFKA_SASL_MECHANISM: _mechanism,
          KAFKA_SASL_USERNAME: _username,
          KAFKA_SASL_PASSWORD: _password,
          KAFKA_SSL_CA_FILE: _ca,
          ...podEnv
        } = env;
        started = await START[service]({
          ...podEnv,
          DATABASE_URL: databaseUrl,
          KAFKA_BROKERS: testStack().endpoints().bootstrapServers.join(','),
          HTTP_PORT: '0',
          LOG_LEVEL: 'warn',
        });
        const ready = await fetch(`http://127.0.0.1:${started.port}/health/ready`);
        expect(ready.status).toBe(200);
      } finally {
        waiting.child.kill();
        await started?.stop();
        await asAdmin(`DROP DATABASE IF EXISTS "${role}" WITH (FORCE)`);
        await asAdmin(`DROP ROLE IF EXISTS "${role}"`);
      }
    },
    120_000,
  );
});
