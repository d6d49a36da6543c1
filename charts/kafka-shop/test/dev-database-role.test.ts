import { Client } from 'pg';
import { SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import { loadInventoryConfig, startInventoryService } from '@shop/inventory-service';
import { loadNotificationConfig, startNotificationService } from '@shop/notification-service';
import { loadOrderConfig, startOrderService } from '@shop/order-service';
import { loadPaymentConfig, startPaymentService } from '@shop/payment-service';
import type { StartedService } from '@shop/service-kit';
import { testStack, uniqueName } from '@shop/testkit';
import { DEV_VALUES, renderChart } from './helm';
import { kubeletEnv, type EnvVar, type RenderedSecret } from './kubelet-env';

/**
 * The dev values' database wiring against a real PostgreSQL 18 (the stack's; CloudNativePG 1.30's
 * default image is 18 too): a role as the Cluster's managed.roles creates it (LOGIN, nothing
 * else), owner of its database as the Database resource makes it, its generated password in the
 * URL the kubelet composes. Each service must migrate and become ready as that role, which is no
 * superuser, unlike the stack's own.
 */

interface Obj extends RenderedSecret {
  kind: string;
  spec: { template?: { spec: { containers: Array<{ env: EnvVar[] }> } } };
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

  it.each(SERVICE_NAMES)(
    '%s migrates and becomes ready as its own role, owner of its database',
    async (service) => {
      const deployment = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === service)!;
      const env = kubeletEnv(deployment.spec.template!.spec.containers[0]!.env, secrets);
      const composed = new URL(env.DATABASE_URL!);
      // The stack is shared: its own role and database for this test, named after the chart's.
      const role = `${decodeURIComponent(composed.username)}_${uniqueName('t').slice(2)}`;
      await asAdmin(`CREATE ROLE "${role}" LOGIN PASSWORD '${env.DATABASE_PASSWORD}'`);
      await asAdmin(`CREATE DATABASE "${role}" OWNER "${role}"`);
      // Only what a pod has and this process has not: the Cluster's -rw Service by its address.
      composed.username = role;
      composed.host = stackAddress;
      composed.pathname = `/${role}`;
      let started: StartedService | undefined;
      try {
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
          DATABASE_URL: composed.toString(),
          KAFKA_BROKERS: testStack().endpoints().bootstrapServers.join(','),
          HTTP_PORT: '0',
          LOG_LEVEL: 'warn',
        });
        const ready = await fetch(`http://127.0.0.1:${started.port}/health/ready`);
        expect(ready.status).toBe(200);
      } finally {
        await started?.stop();
        await asAdmin(`DROP DATABASE IF EXISTS "${role}" WITH (FORCE)`);
        await asAdmin(`DROP ROLE IF EXISTS "${role}"`);
      }
    },
    120_000,
  );
});
