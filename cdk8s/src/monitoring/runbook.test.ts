import fs from 'node:fs';
import path from 'node:path';
import { alertRuleGroups } from './alert-rules';

const README = path.resolve(__dirname, '../../../README.md');
const BASE = 'https://github.com/acme/kafka-shop/blob/main/README.md';

interface Heading {
  readonly level: number;
  readonly text: string;
  readonly anchor: string;
}

/**
 * GitHub's anchor for a heading (github-slugger): the rendered text lowercased, punctuation
 * other than `-` and `_` dropped, spaces turned into hyphens; a repeated anchor gets -1, -2, ….
 */
function slug(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The README's ATX headings, skipping fenced code (its shell comments start with `#` too). */
function headings(markdown: string): Heading[] {
  const out: Heading[] = [];
  const seen = new Map<string, number>();
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      continue;
    }
    const heading = fence === undefined && /^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[2]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.push({
      level: heading[1]!.length,
      text: heading[2]!,
      anchor: n === 0 ? base : `${base}-${n}`,
    });
  }
  return out;
}

describe('alert runbooks', () => {
  const all = headings(fs.readFileSync(README, 'utf8'));
  const start = all.findIndex((h) => h.level === 2 && h.text === 'Runbook');
  const end = all.findIndex((h, i) => i > start && h.level <= 2);
  const runbook = all.slice(start + 1, end === -1 ? undefined : end);
  const rules = alertRuleGroups(BASE).flatMap((g) => g.rules);

  it('reads GitHub’s anchors the way GitHub makes them', () => {
    expect(slug('KafkaMessageErrorRate')).toBe('kafkamessageerrorrate');
    expect(slug('The messaging kit (`packages/messaging`)')).toBe(
      'the-messaging-kit-packagesmessaging',
    );
    expect(headings('# A\n```bash\n# not a heading\n```\n## A\n').map((h) => h.anchor)).toEqual([
      'a',
      'a-1',
    ]);
  });

  it.each(rules.map((r) => [r.alert, r.labels.severity, r.annotations.runbook_url]))(
    '%s (%s) links to its own heading in the README’s Runbook section',
    (alert, _, url) => {
      expect(start).toBeGreaterThanOrEqual(0);
      expect(url.startsWith(`${BASE}#`)).toBe(true);
      const anchor = url.slice(BASE.length + 1);
      expect(runbook.find((h) => h.anchor === anchor)?.text).toBe(alert);
    },
  );

  it('has a runbook entry for alerts only, so none outlives its alert', () => {
    expect(runbook.map((h) => h.text).sort()).toEqual(
      [...new Set(rules.map((r) => r.alert))].sort(),
    );
  });
});
