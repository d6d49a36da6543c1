import { spawnSync } from 'node:child_process';
import { CHART, HELM, KUBE_VERSION, renderChart } from './helm';

interface Doc {
  kind: string;
  metadata: { name: string };
  spec: {
    maxUnavailable?: number | string;
    template?: {
      spec: { containers: Array<{ resources: Record<string, Record<string, unknown>> }> };
    };
  };
}

const BASE = ['--set', 'database.existingSecret=shop-db'];

function helmTemplate(args: string[]) {
  return spawnSync(
    HELM,
    ['template', 'x', CHART, '--kube-version', KUBE_VERSION, ...BASE, ...args],
    { encoding: 'utf8' },
  );
}

/**
 * What the API server would refuse, refused at `helm template` time with a message that names the
 * value: a typo in a quantity otherwise surfaces as a failed rollout, minutes later.
 */
describe('values.schema.json and the chart refuse what the API server would', () => {
  it.each([
    [
      'a cpu request that is not a quantity',
      ['--set-string', 'services.order-service.resources.requests.cpu=one'],
      /at '\/services\/order-service\/resources\/requests\/cpu'.*does not match pattern/s,
    ],
    [
      'a memory limit in bytes-with-a-B',
      ['--set-string', 'services.payment-service.resources.limits.memory=512MB'],
      /at '\/services\/payment-service\/resources\/limits\/memory'.*'512MB' does not match pattern/s,
    ],
    [
      'a negative quantity',
      ['--set-string', 'services.order-service.resources.requests.memory=-1Gi'],
      /at '\/services\/order-service\/resources\/requests\/memory'/,
    ],
    [
      'minReplicas above maxReplicas (CPU)',
      [
        '--set',
        'services.order-service.autoscaling.minReplicas=5',
        '--set',
        'services.order-service.autoscaling.maxReplicas=3',
      ],
      /services\.order-service\.autoscaling\.minReplicas \(5\) is greater than maxReplicas \(3\)/,
    ],
    [
      'minReplicas above maxReplicas (lag)',
      [
        '--set',
        'services.payment-service.lagAutoscaling.minReplicas=4',
        '--set',
        'services.payment-service.lagAutoscaling.maxReplicas=2',
      ],
      /services\.payment-service\.lagAutoscaling\.minReplicas \(4\) is greater than maxReplicas \(2\)/,
    ],
    [
      'a PodDisruptionBudget of maxUnavailable 0',
      ['--set', 'podDisruptionBudget.maxUnavailable=0'],
      /at '\/podDisruptionBudget\/maxUnavailable'.*minimum: got 0, want 1/s,
    ],
    [
      'a PodDisruptionBudget of maxUnavailable 0%',
      ['--set-string', 'podDisruptionBudget.maxUnavailable=0%'],
      /at '\/podDisruptionBudget\/maxUnavailable'.*'0%' does not match pattern/s,
    ],
    [
      'a percentage past 100',
      ['--set-string', 'podDisruptionBudget.maxUnavailable=150%'],
      /at '\/podDisruptionBudget\/maxUnavailable'/,
    ],
    [
      "a services' databases Secret name the API server would not take",
      ['--set', 'opsConsole.serviceDatabasesSecret=Read_Only'],
      /at '\/opsConsole\/serviceDatabasesSecret'.*does not match pattern/s,
    ],
  ])('refuses %s', (_, args, message) => {
    const result = helmTemplate(args);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });

  it('takes every quantity form Kubernetes does, and a percentage where policy/v1 does', () => {
    const docs = renderChart<Doc>([
      ...BASE,
      '--set-string',
      'services.order-service.resources.requests.cpu=100m',
      '--set-json',
      'services.order-service.resources.limits.cpu=1.5',
      '--set-string',
      'services.order-service.resources.requests.memory=512Mi',
      '--set-string',
      'services.order-service.resources.limits.memory=1Gi',
      '--set-string',
      'services.payment-service.resources.requests.cpu=1e3',
      '--set-string',
      'services.payment-service.resources.limits.cpu=0.5',
      '--set-string',
      'podDisruptionBudget.maxUnavailable=25%',
    ]);
    const resourcesOf = (name: string) =>
      docs.find((d) => d.kind === 'Deployment' && d.metadata.name === name)!.spec.template!.spec
        .containers[0]!.resources;
    expect(resourcesOf('order-service')).toEqual({
      requests: { cpu: '100m', memory: '512Mi' },
      limits: { cpu: 1.5, memory: '1Gi' },
    });
    expect(resourcesOf('payment-service')).toMatchObject({
      requests: { cpu: '1e3' },
      limits: { cpu: '0.5' },
    });
    const budgets = docs.filter((d) => d.kind === 'PodDisruptionBudget');
    expect(budgets.map((b) => b.spec.maxUnavailable)).toEqual(budgets.map(() => '25%'));
  });
});
