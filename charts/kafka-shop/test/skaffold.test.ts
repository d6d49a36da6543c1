import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import YAML from 'yaml';
import { SERVICE_NAMES } from '@shop/contracts';
import { ROOT, THIRD_PARTY, problemsOf, renderChart } from './helm';

interface HelmRelease {
  name: string;
  chartPath: string;
  namespace: string;
  valuesFiles?: string[];
  setValues?: Record<string, unknown>;
  setValueTemplates?: Record<string, string>;
  setFiles?: Record<string, string>;
}
interface SkaffoldConfig {
  build: { artifacts: Array<{ image: string; docker: { buildArgs: { SERVICE: string } } }> };
  deploy: { helm: { releases: HelmRelease[] } };
  profiles: Array<{ name: string; patches?: Patch[]; [field: string]: unknown }>;
}
interface Patch {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}
interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    scaleTargetRef?: { name: string };
    template?: { spec: { containers: Array<{ env: Array<{ name: string; value?: string }> }> } };
  };
}

const config = YAML.parse(
  fs.readFileSync(path.join(ROOT, 'skaffold.yaml'), 'utf8'),
) as SkaffoldConfig;

/** The config a profile activates: its JSON patches applied to the base (RFC 6902 add/replace/remove). */
function withProfile(base: SkaffoldConfig, name: string | undefined): SkaffoldConfig {
  const copy = structuredClone(base);
  if (name === undefined) return copy;
  const profile = base.profiles.find((p) => p.name === name)!;
  for (const patch of profile.patches ?? []) {
    const keys = patch.path
      .split('/')
      .slice(1)
      .map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = keys.pop()!;
    let parent = copy as unknown as Record<string, unknown>;
    for (const key of keys) parent = parent[key] as Record<string, unknown>;
    if (patch.op === 'remove') delete parent[last];
    else if (Array.isArray(parent) && last === '-') parent.push(patch.value);
    else parent[last] = patch.value;
  }
  return copy;
}

/** The image skaffold would build for an artifact, as its templates name it. */
const builtImage = (image: string) => `registry.example/${image}:0123abc`;

/**
 * The arguments skaffold hands `helm` for a release: `-f` for each values file (relative to
 * skaffold.yaml), `--set` for setValues as written and for setValueTemplates once expanded.
 */
function helmArgs(release: HelmRelease, artifacts: SkaffoldConfig['build']['artifacts']): string[] {
  const images = new Map(artifacts.map((a) => [a.image.replaceAll('-', '_'), a.image]));
  const expand = (template: string) =>
    template.replace(/\{\{\s*\.IMAGE_FULLY_QUALIFIED_(\w+)\s*\}\}/g, (_, key: string) => {
      const image = images.get(key);
      if (!image) throw new Error(`${template} names no artifact of skaffold.yaml`);
      return builtImage(image);
    });
  return [
    ...(release.valuesFiles ?? []).flatMap((f) => ['-f', path.resolve(ROOT, f)]),
    ...Object.entries(release.setValues ?? {}).flatMap(([k, v]) => ['--set', `${k}=${String(v)}`]),
    ...Object.entries(release.setValueTemplates ?? {}).flatMap(([k, v]) => [
      '--set',
      `${k}=${expand(v)}`,
    ]),
  ];
}

/** helm template of the chart exactly as skaffold would install it with a profile. */
function renderAs(profile: string | undefined): Doc[] {
  const active = withProfile(config, profile);
  const [release] = active.deploy.helm.releases;
  expect(release!.setFiles ?? {}).toEqual({});
  expect(path.resolve(ROOT, release!.chartPath)).toBe(path.join(ROOT, 'charts/kafka-shop'));
  return renderChart<Doc>(
    helmArgs(release!, active.build.artifacts),
    release!.name,
    release!.namespace,
  );
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
      [...SERVICE_NAMES].sort(),
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
});
