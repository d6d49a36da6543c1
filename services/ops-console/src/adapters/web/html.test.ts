import { escapeHtml, html } from './html';

describe('html', () => {
  it('escapes every interpolated value, so record text never becomes markup', () => {
    const value = `<script>alert("x")</script><img src=x onerror='alert(1)'>\`&`;
    expect(html`<td title="${value}">${value}</td>`.markup).toBe(
      '<td title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;alert(1)&#39;&gt;&#96;&amp;">' +
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;alert(1)&#39;&gt;&#96;&amp;</td>',
    );
  });

  it('keeps markup built with html, escapes inside lists, and leaves out nothing values', () => {
    const rows = ['<a>', 'b'].map((v) => html`<li>${v}</li>`);
    expect(
      html`<ul>
          ${rows}
        </ul>
        ${undefined}${null}${false}${0}`.markup.replace(/\s+/g, ''),
    ).toBe('<ul><li>&lt;a&gt;</li><li>b</li></ul>0');
  });

  it('escapes the five characters that end text or an attribute, and the backtick', () => {
    expect(escapeHtml(`&<>"'\``)).toBe('&amp;&lt;&gt;&quot;&#39;&#96;');
  });
});
