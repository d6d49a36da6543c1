import type { Context } from 'koa';
import { HttpProblem } from '@shop/service-kit';

/**
 * A urlencoded form body, read whole up to a limit and parsed by URLSearchParams: a repeated
 * field (the checked records) stays a list of strings, never a nested object.
 */
export async function readForm(ctx: Context, limitBytes = 256 * 1024): Promise<URLSearchParams> {
  if (!ctx.is('application/x-www-form-urlencoded')) {
    throw new HttpProblem(415, 'Unsupported Media Type', 'send the form urlencoded');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new HttpProblem(413, 'Content Too Large', 'the form is too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
