/** A signed-in operator's browser, reduced to fetch and a cookie jar: no redirects followed. */
export class ConsoleClient {
  private readonly cookies = new Map<string, string>();
  csrfToken = '';

  constructor(private readonly baseUrl: string) {}

  async signIn(operator: string, token: string): Promise<void> {
    await this.get('/login');
    const res = await this.post('/login', { operator, token, next: '/dead-letters' });
    if (res.status !== 303) throw new Error(`sign-in refused: ${res.status}`);
  }

  async get(
    path: string,
  ): Promise<{ status: number; body: string; location: string | null; headers: Headers }> {
    return this.request('GET', path);
  }

  /** Posts a form; `_csrf` is the page's token unless the fields say otherwise. */
  async post(
    path: string,
    fields: Record<string, string | string[]>,
    withCsrf = true,
  ): Promise<{ status: number; body: string; location: string | null; headers: Headers }> {
    const form = new URLSearchParams();
    if (withCsrf) form.set('_csrf', this.csrfToken);
    for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) form.append(k, one);
    return this.request('POST', path, form);
  }

  private async request(method: string, path: string, form?: URLSearchParams) {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form?.toString(),
    });
    for (const c of response.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, ...value] = pair!.split('=');
      this.cookies.set(name!, value.join('='));
    }
    // The templates are laid out by prettier: assertions read the markup without its layout.
    const body = (await response.text()).replace(/\s+/g, ' ').replace(/ ?(<|>) ?/g, '$1');
    const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
    if (token) this.csrfToken = token;
    return {
      status: response.status,
      body,
      location: response.headers.get('location'),
      headers: response.headers,
    };
  }
}
