import { html, type SafeHtml } from '../html';
import { csrfField, layout, type PageContext } from './layout';

export function loginPage(page: PageContext, next: string, failed: boolean): SafeHtml {
  return layout(
    page,
    'Sign in',
    html`${failed ? html`<p class="error">That admin token is not right.</p>` : ''}
      <form method="post" action="/login">
        ${csrfField(page)}
        <input type="hidden" name="next" value="${next}" />
        <p>
          <label
            >Your name (recorded with every replay)<br /><input
              name="operator"
              required
              maxlength="64"
              autocomplete="username"
          /></label>
        </p>
        <p>
          <label
            >Admin token<br /><input
              name="token"
              type="password"
              required
              autocomplete="current-password"
          /></label>
        </p>
        <p><button type="submit">Sign in</button></p>
      </form>`,
  );
}
