/** A record value as a person can read it; never interpreted, only shown as text. */
export type ShownValue =
  | { readonly kind: 'none' }
  | { readonly kind: 'json' | 'text'; readonly text: string }
  | { readonly kind: 'binary'; readonly base64: string };

export function showValue(value: Buffer | null): ShownValue {
  if (value === null) return { kind: 'none' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(value);
  } catch {
    return { kind: 'binary', base64: value.toString('base64') };
  }
  try {
    return { kind: 'json', text: JSON.stringify(JSON.parse(text), null, 2) };
  } catch {
    return { kind: 'text', text };
  }
}
