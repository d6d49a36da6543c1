/** An alert as the generators write it; alert-rules.ts adds its runbook link. */
export interface AlertSpec {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: { severity: 'warning' | 'critical' };
  readonly annotations: { summary: string; description: string };
}

export interface AlertSpecGroup {
  readonly name: string;
  readonly rules: AlertSpec[];
}

/**
 * The same alert at a warning and a critical threshold. `>=` because the guide's thresholds are
 * "at or above" (docs/guide-mapping.md §11); `<` for the broker alerts that fire on what is left.
 */
export function tiered(
  alert: string,
  expr: string,
  comparison: '>=' | '<',
  thresholds: { readonly warning: number; readonly critical: number },
  forDuration: string | undefined,
  text: (threshold: number) => AlertSpec['annotations'],
): AlertSpec[] {
  return (['warning', 'critical'] as const).map((severity) => ({
    alert,
    expr: `(${expr}) ${comparison} ${thresholds[severity]}`,
    ...(forDuration && { for: forDuration }),
    labels: { severity },
    annotations: text(thresholds[severity]),
  }));
}
