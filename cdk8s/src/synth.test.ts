import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  K8S_DIR,
  synthMonitoring,
  synthOperatorTools,
  synthStrimzi,
  synthStrimziDev,
} from './main';

describe('generated manifests', () => {
  it.each([
    ['monitoring', synthMonitoring],
    ['strimzi', synthStrimzi],
    ['strimzi-dev', synthStrimziDev],
    ['operator-tools', synthOperatorTools],
  ] as const)(
    'k8s/%s equals a fresh synth (run `npm run synth` after changing a catalog)',
    (folder, synth) => {
      const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
      synth(fresh);
      const committed = path.join(K8S_DIR, folder);
      expect(fs.readdirSync(committed).sort()).toEqual(fs.readdirSync(fresh).sort());
      for (const file of fs.readdirSync(fresh)) {
        expect(`${file}:\n${fs.readFileSync(path.join(committed, file), 'utf8')}`).toBe(
          `${file}:\n${fs.readFileSync(path.join(fresh, file), 'utf8')}`,
        );
      }
      fs.rmSync(fresh, { recursive: true });
    },
  );

  it('labels what kube-prometheus-stack selects on', () => {
    const rules = fs.readFileSync(path.join(K8S_DIR, 'monitoring/prometheus-rules.yaml'), 'utf8');
    expect(rules).toMatch(/release: kube-prometheus-stack/);
    const dashboards = fs.readFileSync(
      path.join(K8S_DIR, 'monitoring/grafana-dashboards.yaml'),
      'utf8',
    );
    expect(dashboards).toMatch(/grafana_dashboard: "1"/);
  });
});
