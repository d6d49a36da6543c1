import type { ClusterSettings } from '../settings';
import type { AlertSpec } from './alert-spec';
import { brokerAlerts } from './broker-alert-rules';
import { guideAlerts } from './guide-alert-rules';

export interface AlertRule extends Omit<AlertSpec, 'annotations'> {
  readonly annotations: AlertSpec['annotations'] & { runbook_url: string };
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: AlertRule[];
}

/** What the rules need to know about the cluster they watch. */
export type AlertSettings = Pick<ClusterSettings, 'runbookBaseUrl' | 'kafkaCluster'>;

/**
 * An alert's runbook: docs/runbook.md has a `### <Alert>` heading per alert, and GitHub anchors
 * a heading by its lowercased text.
 */
export const runbookUrl = (runbookBase: string, alert: string) =>
  `${runbookBase}#${alert.toLowerCase()}`;

/**
 * Every alert, with its runbook link. Every aggregation keeps `namespace`: kube-prometheus-stack
 * inhibits warnings by `equal: [namespace, alertname]`, and a label missing on both sides counts
 * as equal, so one critical alert without it would silence the warnings of every group and topic
 * (alert-rules.test.ts holds every expression to it).
 */
export function alertRuleGroups(settings: AlertSettings): RuleGroup[] {
  return [...guideAlerts(), ...brokerAlerts(settings.kafkaCluster)].map((group) => ({
    name: group.name,
    rules: group.rules.map((rule) => ({
      ...rule,
      annotations: {
        ...rule.annotations,
        runbook_url: runbookUrl(settings.runbookBaseUrl, rule.alert),
      },
    })),
  }));
}
