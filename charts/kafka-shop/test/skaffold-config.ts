import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ROOT, renderChart } from './helm';

export interface HelmRelease {
  name: string;
  chartPath: string;
  namespace: string;
  valuesFiles?: string[];
  setValues?: Record<string, unknown>;
  setValueTemplates?: Record<string, string>;
  setFiles?: Record<string, string>;
}
export interface SkaffoldConfig {
  build: { artifacts: Array<{ image: string; docker: { buildArgs: { SERVICE: string } } }> };
  manifests: { rawYaml: string[] };
  deploy: { helm: { releases: HelmRelease[] } };
  profiles: Array<{ name: string; patches?: Patch[]; [field: string]: unknown }>;
}
interface Patch {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

export const skaffoldConfig = YAML.parse(
  fs.readFileSync(path.join(ROOT, 'skaffold.yaml'), 'utf8'),
) as SkaffoldConfig;

/** The config a profile activates: its JSON patches applied to the base (RFC 6902 add/replace/remove). */
export function withProfile(base: SkaffoldConfig, name: string | undefined): SkaffoldConfig {
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
    if (Array.isArray(parent)) {
      // In an array, add inserts before the index ('-': at the end); remove and replace take it.
      const index = last === '-' ? parent.length : Number(last);
      if (patch.op === 'add') parent.splice(index, 0, patch.value);
      else parent.splice(index, 1, ...(patch.op === 'replace' ? [patch.value] : []));
    } else if (patch.op === 'remove') delete parent[last];
    else parent[last] = patch.value;
  }
  return copy;
}

/** The image skaffold would build for an artifact, as its templates name it. */
export const builtImage = (image: string) => `registry.example/${image}:0123abc`;

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

/**
 * helm template of the chart's release exactly as skaffold would install it with a profile, and
 * any more in the order skaffold applies them (`skaffold dev -p local-node`: dev, then local-node).
 */
export function renderAs<T>(profile: string | undefined, ...more: string[]): T[] {
  const active = more.reduce(withProfile, withProfile(skaffoldConfig, profile));
  const [release] = active.deploy.helm.releases;
  if (Object.keys(release!.setFiles ?? {}).length > 0 || release!.chartPath !== 'charts/kafka-shop')
    throw new Error('skaffold.yaml installs something renderAs does not render');
  return renderChart<T>(
    helmArgs(release!, active.build.artifacts),
    release!.name,
    release!.namespace,
  );
}

/** The files skaffold applies as raw YAML with a profile (its globs expanded), repo-relative. */
export function rawYamlFilesOf(profile: string | undefined): string[] {
  return withProfile(skaffoldConfig, profile).manifests.rawYaml.flatMap(expandGlob);
}

/** skaffold.yaml's two kinds of rawYaml entry: `<folder>/*.yaml` and a file. */
function expandGlob(pattern: string): string[] {
  const folder = /^([\w./-]+)\/\*\.yaml$/.exec(pattern)?.[1];
  if (folder !== undefined)
    return fs
      .readdirSync(path.join(ROOT, folder))
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => `${folder}/${f}`);
  if (/[*?[{]/.test(pattern) || !fs.existsSync(path.join(ROOT, pattern)))
    throw new Error(`rawYaml entry ${pattern} is neither <folder>/*.yaml nor a file`);
  return [pattern];
}

/** Every object skaffold applies as raw YAML with a profile. */
export function rawManifestsOf<T>(profile: string | undefined): T[] {
  return rawYamlFilesOf(profile).flatMap((file) =>
    YAML.parseAllDocuments(fs.readFileSync(path.join(ROOT, file), 'utf8'))
      .map((d) => d.toJSON() as T)
      .filter(Boolean),
  );
}
