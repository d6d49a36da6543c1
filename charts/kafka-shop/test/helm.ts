import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Deployment } from 'kubernetes-models/apps/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { CrdSchemas } from '@shop/cdk8s';
import { SERVICE_NAMES } from '@shop/contracts';

export const ROOT = path.resolve(__dirname, '../../..');
export const CHART = path.join(ROOT, 'charts/kafka-shop');
/** Third-party schemas kept in the repository with their origin and licence (third_party/README.md). */
export const THIRD_PARTY = path.join(ROOT, 'third_party');
/** Every folder of CustomResourceDefinitions under third_party/crds, one per operator. */
export const CRD_DIRS = fs
  .readdirSync(path.join(THIRD_PARTY, 'crds'))
  .sort()
  .map((dir) => path.join(THIRD_PARTY, 'crds', dir));
/** The cluster version `helm template` assumes; a real install asks the API server. */
export const KUBE_VERSION = '1.31.0';
export const HELM = findHelm();

function findHelm(): string {
  const gopath =
    spawnSync('go', ['env', 'GOPATH'], { encoding: 'utf8' }).stdout?.trim() ||
    path.join(os.homedir(), 'go');
  const candidates = [process.env.HELM, 'helm', path.join(gopath, 'bin/helm')].filter(
    Boolean,
  ) as string[];
  for (const c of candidates) if (spawnSync(c, ['version', '--short']).status === 0) return c;
  throw new Error(
    'helm not found: go install helm.sh/helm/v3/cmd/helm@v3.22.0 (npm test does it through scripts/ensure-tools.sh)',
  );
}

/** `helm template` of the chart; throws with helm's message when it refuses the values. */
export function renderChart<T>(args: string[], release = 'shop', namespace = 'shop'): T[] {
  const out = execFileSync(
    HELM,
    ['template', release, CHART, '--namespace', namespace, '--kube-version', KUBE_VERSION, ...args],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // Strictly: a key written twice is an error here as in skaffold's post-renderer, although helm
  // and the API server quietly keep the last one.
  const docs = YAML.parseAllDocuments(out);
  const errors = docs.flatMap((d) => d.errors.map((e) => e.message));
  if (errors.length > 0)
    throw new Error(`helm template rendered invalid YAML: ${errors.join('; ')}`);
  return docs.map((d) => d.toJSON() as T).filter(Boolean);
}

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'v1/Secret': Secret,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

/**
 * What is wrong with rendered objects: core kinds against Kubernetes' schemas, custom resources
 * against their CRDs; a kind neither knows is a problem too.
 */
export function problemsOf(docs: Array<{ apiVersion: string; kind: string }>): string[] {
  const crds = new CrdSchemas(CRD_DIRS);
  return docs.flatMap((doc) => {
    const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
    if (Model) {
      try {
        new Model(doc as never).validate();
        return [];
      } catch (e) {
        return [`${doc.kind}: ${(e as Error).message}`];
      }
    }
    return crds.validate(doc as never) ?? [`${doc.apiVersion}/${doc.kind}: no schema to check it`];
  });
}

/** Values that turn on what the defaults leave off: HPA, OTLP, an inline database Secret. */
export const NON_DEFAULT = [
  '--set',
  'database.urls.order-service=postgres://o@db/order',
  '--set',
  'database.urls.inventory-service=postgres://i@db/inventory',
  '--set',
  'database.urls.payment-service=postgres://p@db/payment',
  '--set',
  'database.urls.notification-service=postgres://n@db/notification',
  '--set',
  'services.order-service.autoscaling.enabled=true',
  '--set',
  'podMonitor.enabled=false',
  '--set',
  'otel.endpoint=http://otel-collector:4318',
  '--set',
  'image.tag=1.2.3',
];

/** skaffold dev's values: the release's own PostgreSQL (CloudNativePG) and admin token. */
export const DEV_VALUES = ['-f', path.join(CHART, 'values-dev.yaml')];

/** skaffold run -p prod-like's values: CPU autoscaling, NetworkPolicies. */
export const PROD_LIKE_VALUES = [
  '-f',
  path.join(CHART, 'values-prod-like.yaml'),
  '--set',
  'database.existingSecret=shop-db',
];

/** Consumers that scale on their group's lag with KEDA, where the CPU HPA is off. */
export const LAG_AUTOSCALING = [
  ...SERVICE_NAMES.flatMap((s) => ['--set', `services.${s}.lagAutoscaling.enabled=true`]),
  '--set',
  'database.existingSecret=shop-db',
];

/** The ways the chart tests render it; the server-side dry-run renders the same. */
export const CHART_VARIANTS: Array<[string, string[]]> = [
  ['default values', ['--set', 'database.existingSecret=shop-db']],
  ['non-default values', NON_DEFAULT],
  ['dev values', DEV_VALUES],
  ['prod-like values', PROD_LIKE_VALUES],
  ['lag autoscaling (KEDA)', LAG_AUTOSCALING],
];
