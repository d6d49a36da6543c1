import { html, type SafeHtml } from '../html';
import { CSRF_FIELD } from '../csrf';

/** What every page knows about the request it answers. */
export interface PageContext {
  readonly operator?: string;
  readonly csrfToken: string;
}

export function csrfField(page: PageContext): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${page.csrfToken}" />`;
}

export function layout(page: PageContext, title: string, body: SafeHtml): SafeHtml {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · kafka-shop operations</title>
        <link rel="stylesheet" href="/static/console.css" />
      </head>
      <body>
        <header>
          <strong>kafka-shop operations</strong>
          ${
            page.operator
              ? html`<nav>
                    <a href="/dead-letters">Dead letters</a>
                    <a href="/replays">Replays</a>
                    <a href="/orders">Order timeline</a>
                    <a href="/stuck">Stuck sagas</a>
                    <a href="/status">Health</a>
                  </nav>
                  <form method="post" action="/logout" class="signout">
                    ${csrfField(page)} <span>signed in as ${page.operator}</span>
                    <button type="submit">Sign out</button>
                  </form>`
              : ''
          }
        </header>
        <main>
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html>`;
}

/** Times as the console shows them everywhere: ISO-8601 UTC to the millisecond. */
export function utc(at: Date | number | string | undefined): string {
  if (at === undefined || at === '') return '—';
  const d = new Date(at);
  return Number.isNaN(d.getTime())
    ? String(at)
    : d.toISOString().replace('T', ' ').replace('Z', ' UTC');
}

export function shorten(text: string, max = 160): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
