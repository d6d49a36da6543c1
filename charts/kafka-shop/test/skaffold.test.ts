import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { SERVICE_NAMES } from '@shop/contracts';
import { ROOT, THIRD_PARTY, problemsOf } from './helm';
import {
  builtImage,
  rawManifestsOf,
  rawYamlFilesOf,
  renderAs as renderChartAs,
  skaffoldConfig,
  withProfile,
} from './skaffold-config';

interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    scaleTargetRef?: { name: string };
    template?: { spec: { containers: Array<{ env: Array<{ name: string; value?: string }> }> } };
    storage?: { type: string; volumes?: Array<{ type: string; deleteClaim?: boolean }> };
  };
}

const config = skaffoldConfig;

/** The chart as skaffold installs it with a profile, checked to be the release it names. */
function renderAs(profile: string | undefined): Doc[] {
  const [release] = withProfile(config, profile).deploy.helm.releases;
  expect(path.resolve(ROOT, release!.chartPath)).toBe(path.join(ROOT, 'charts/kafka-shop'));
  return renderChartAs<Doc>(profile);
}

const envOf = (docs: Doc[], service: string) =>
  Object.fromEntries(
    docs
      .find((d) => d.kind === 'Deployment' && d.metadata.name === service)!
      .spec.template!.spec.containers[0]!.env.map((e) => [e.name, e.value]),
  );

describe('skaffold.yaml', () => {
  it('is valid against the skaffold v4beta14 schema', () => {
    const schema = JSON.parse(
      fs.readFileSync(path.join(THIRD_PARTY, 'schemas/skaffold/v4beta14.json'), 'utf8'),
    );
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(schema);
    const valid = validate(config);
    expect(valid ? [] : validate.errors).toEqual([]);
    expect(config.build.artifacts.map((a) => a.docker.buildArgs.SERVICE).sort()).toEqual(
      [...SERVICE_NAMES, 'ops-console'].sort(),
    );
  });

  it('changes the deployment only through patches, which the test below applies', () => {
    for (const profile of config.profiles)
      expect(
        Object.keys(profile).filter((k) => !['name', 'activation', 'patches'].includes(k)),
      ).toEqual([]);
  });

  it.each(['(none)', ...config.profiles.map((p) => p.name)])(
    'installs the chart with profile %s: helm accepts the values and renders valid objects',
    (profile) => {
      const docs = renderAs(profile === '(none)' ? undefined : profile);
      expect(problemsOf(docs)).toEqual([]);
      for (const service of SERVICE_NAMES) {
        const deployment = docs.find(
          (d) => d.kind === 'Deployment' && d.metadata.name === service,
        )!;
        expect(JSON.stringify(deployment)).toContain(builtImage(`kafka-shop-${service}`));
      }
    },
  );

  it('seeds the demo catalog and logs at debug level under skaffold dev', () => {
    const docs = renderAs('dev');
    expect(envOf(docs, 'inventory-service')).toMatchObject({
      SEED_DEMO_CATALOG: 'true',
      LOG_LEVEL: 'debug',
    });
    expect(envOf(renderAs(undefined), 'inventory-service').SEED_DEMO_CATALOG).toBe('false');
  });

  it('autoscales order- and inventory-service under prod-like', () => {
    const scaled = renderAs('prod-like')
      .filter((d) => d.kind === 'HorizontalPodAutoscaler')
      .map((d) => d.spec.scaleTargetRef!.name);
    expect(scaled.sort()).toEqual(['inventory-service', 'order-service']);
  });

  /** The storage of each Kafka node pool a profile deploys, by where it comes from. */
  const nodePools = (profile: string | undefined) =>
    rawManifestsOf<Doc>(profile).filter((d) => d.kind === 'KafkaNodePool');

  it('deploys only the dev Kafka cluster under skaffold dev, whose volumes die with its pods', () => {
    const files = rawYamlFilesOf('dev');
    expect(files.filter((f) => f.startsWith('k8s/strimzi-dev/'))).toEqual([
      'k8s/strimzi-dev/kafka-cluster.yaml',
    ]);
    expect(files).not.toContain('k8s/strimzi/kafka-cluster.yaml');
    // Topics, users, alerts and monitors as everywhere else.
    expect(files).toEqual(
      expect.arrayContaining([
        'k8s/strimzi/kafka-topics.yaml',
        'k8s/strimzi/kafka-users.yaml',
        'k8s/monitoring/prometheus-rules.yaml',
      ]),
    );
    const kinds = rawManifestsOf<Doc>('dev').map((d) => d.kind);
    expect(kinds.filter((k) => k === 'Kafka')).toHaveLength(1);
    const pools = nodePools('dev');
    expect(pools).toHaveLength(1);
    // Nothing a next run could find: only emptyDirs (a claim kept by deleteClaim: false would
    // hold the previous cluster's id; Invalid cluster.id then).
    const volumes = pools[0]!.spec.storage!.volumes ?? [pools[0]!.spec.storage!];
    expect(volumes.map((v) => v.type)).toEqual(volumes.map(() => 'ephemeral'));
  });

  it.each([undefined, 'prod-like'])(
    'keeps the production-like cluster and its volumes without the dev profile (%s)',
    (profile) => {
      const files = rawYamlFilesOf(profile);
      expect(files).toContain('k8s/strimzi/kafka-cluster.yaml');
      expect(files.some((f) => f.startsWith('k8s/strimzi-dev/'))).toBe(false);
      const [pool] = nodePools(profile);
      expect(pool!.spec.storage!.volumes).toEqual([
        expect.objectContaining({ type: 'persistent-claim', deleteClaim: false }),
      ]);
    },
  );

  it('applies a JSON patch to an array as skaffold does: add inserts, replace overwrites', () => {
    const base = { ...config, manifests: { rawYaml: ['a', 'b'] }, profiles: [] };
    const patched = withProfile(
      {
        ...base,
        profiles: [
          {
            name: 'p',
            patches: [
              { op: 'replace', path: '/manifests/rawYaml/0', value: 'x' },
              { op: 'add', path: '/manifests/rawYaml/1', value: 'y' },
              { op: 'add', path: '/manifests/rawYaml/-', value: 'z' },
              { op: 'remove', path: '/manifests/rawYaml/0' },
            ],
          },
        ],
      },
      'p',
    );
    expect(patched.manifests.rawYaml).toEqual(['y', 'b', 'z']);
  });
});
