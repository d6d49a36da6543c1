/** What a reader picked for a dashboard variable: some values, or All. */
export type Selection = readonly string[] | 'All';

/** Grafana's escaping of a value inside a PromQL regex string (a backslash twice: regex, then string). */
const escapeRegex = (value: string) => value.replace(/[\\^$*+?.()|[\]{}]/g, '\\\\$&');

/**
 * A panel query as Grafana sends it to Prometheus for the reader's selection: several values
 * become an alternation in parentheses, All becomes the variables' allValue (.*). Tests run the
 * dashboard's queries this way.
 */
export function interpolate(expr: string, selection: Readonly<Record<string, Selection>>): string {
  return expr.replace(/\$(\w+)/g, (whole, name: string) => {
    const chosen = selection[name];
    if (chosen === undefined) return whole;
    if (chosen === 'All') return '.*';
    const values = chosen.map(escapeRegex);
    return values.length === 1 ? values[0]! : `(${values.join('|')})`;
  });
}
