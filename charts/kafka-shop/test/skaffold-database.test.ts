import { CONSOLE_USER, SERVICE_NAMES } from '@shop/contracts';
import { renderAs } from './skaffold-config';

interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    template?: {
      spec: {
        containers: Array<{
          env: Array<{ name: string; valueFrom?: { secretKeyRef?: { name: string } } }>;
        }>;
      };
    };
  };
}

/** The Secrets the Deployments read environment variables from. */
const secretsRead = (docs: Obj[]) =>
  new Set(
    docs
      .filter((d) => d.kind === 'Deployment')
      .flatMap((d) => d.spec.template!.spec.containers.flatMap((c) => c.env))
      .flatMap((e) => e.valueFrom?.secretKeyRef?.name ?? []),
  );
const secretsRendered = (docs: Obj[]) =>
  docs.filter((d) => d.kind === 'Secret').map((d) => d.metadata.name);

describe('skaffold.yaml: where the services get PostgreSQL and the admin token', () => {
  it('skaffold dev brings its own: a CloudNativePG Cluster, and no Secret made by hand', () => {
    const docs = renderAs<Obj>('dev');
    expect(docs.filter((d) => d.kind === 'Cluster')).toHaveLength(1);
    const rendered = new Set(secretsRendered(docs));
    // Besides the chart's own, only what Strimzi's User Operator writes: one per KafkaUser (the
    // console's too: values-dev.yaml runs it).
    const elsewhere = [...secretsRead(docs)].filter((name) => !rendered.has(name));
    expect(elsewhere.sort()).toEqual([...SERVICE_NAMES, CONSOLE_USER].sort());
  });

  it.each([
    [[]],
    [['prod-like']],
    [['dev', 'prod-like']],
    [['local-node']],
    [['dev', 'local-node']],
  ])('profiles %j bring their own PostgreSQL and admin token, as before', (profiles: string[]) => {
    const [first, ...more] = profiles;
    const docs = renderAs<Obj>(first, ...more);
    expect(docs.filter((d) => d.apiVersion.startsWith('postgresql.cnpg.io/'))).toEqual([]);
    expect([...secretsRead(docs)]).toEqual(
      expect.arrayContaining(['kafka-shop-database', 'inventory-admin-token']),
    );
    expect(secretsRendered(docs)).toEqual([]);
  });
});
