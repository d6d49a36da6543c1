/**
 * What the promtool test feeds each alert and what it expects: input series over 30 minutes at
 * one sample a minute, evaluated at minute 25.
 */

export type Severity = 'warning' | 'critical';

export interface Series {
  series: string;
  values: string;
}

export interface ExpectedAlert {
  severity: Severity;
  labels: Record<string, string>;
  /** The alert expression's value, for rendering the expected annotations. */
  value?: number;
}

export interface AlertCase {
  name: string;
  alertname: string;
  series: Series[];
  alerts: ExpectedAlert[];
  /** When to evaluate, if not at EVAL_SECONDS: for cases about an alert's `for:` window. */
  evalMinutes?: number;
}

/** The evaluation time of every case, in seconds (time() there). */
export const EVAL_SECONDS = 25 * 60;

export const NS = 'shop';
/** A second install of the system, whose alerts must stay apart from the first one's. */
export const OTHER_NS = 'staging';

export const sel = (labels: Record<string, string>) =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;
export const rising = (perMinute: number) => `0+${perMinute}x30`;
export const flat = (value: number) => `${value}x30`;

/** The same labels and value at each severity given. */
export const firing = (
  severities: Severity[],
  labels: Record<string, string>,
  value?: number,
): ExpectedAlert[] => severities.map((severity) => ({ severity, labels, value }));

/** Which severities a value fires at "at or above" warning and critical thresholds. */
export const atOrAbove = (value: number, t: { warning: number; critical: number }): Severity[] =>
  [
    value >= t.warning ? ('warning' as const) : undefined,
    value >= t.critical ? ('critical' as const) : undefined,
  ].filter((s): s is Severity => s !== undefined);

/** Which severities a value fires at "below" warning and critical thresholds. */
export const below = (value: number, t: { warning: number; critical: number }): Severity[] =>
  [
    value < t.warning ? ('warning' as const) : undefined,
    value < t.critical ? ('critical' as const) : undefined,
  ].filter((s): s is Severity => s !== undefined);

/** Just below and exactly at each threshold: the guide alerts at or above. */
export const aroundAtOrAbove = (t: { warning: number; critical: number }, step: number) => [
  t.warning - step,
  t.warning,
  t.critical - step,
  t.critical,
];

/** Exactly at and just below each threshold of an alert on what is left. */
export const aroundBelow = (t: { warning: number; critical: number }, step: number) => [
  t.warning,
  t.warning - step,
  t.critical,
  t.critical - step,
];
