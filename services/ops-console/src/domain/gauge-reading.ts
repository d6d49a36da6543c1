/**
 * A gauge's value for one service in Prometheus' text exposition format, as a scrape reads it;
 * undefined when the service exposes no such sample.
 */
export function gaugeOf(exposition: string, name: string, service: string): number | undefined {
  for (const line of exposition.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const labels = new Map(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]),
    );
    if (labels.get('service') !== service) continue;
    const value = Number(match[3]);
    return Number.isNaN(value) ? undefined : value;
  }
  return undefined;
}
