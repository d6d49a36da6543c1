/** The one stylesheet, served from /static/console.css (a file of its own keeps CSP to 'self'). */
export const CONSOLE_CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d232a; }
header { display: flex; gap: 1.5em; align-items: center; padding: .6em 1.2em; background: #1d3557; color: #fff; }
header a { color: #fff; margin-right: 1em; }
header .signout { margin-left: auto; }
main { padding: 1em 1.2em; }
h1 { font-size: 1.4em; margin: .2em 0 .8em; }
h2 { font-size: 1.1em; margin-top: 1.5em; }
table { border-collapse: collapse; width: 100%; margin: .5em 0; }
th, td { border-bottom: 1px solid #d0d7de; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #f3f5f7; }
pre, code, .mono { font-family: ui-monospace, monospace; font-size: 12px; }
pre { background: #f6f8fa; padding: .6em; overflow: auto; white-space: pre-wrap; word-break: break-all; max-height: 28em; }
.filters { display: flex; flex-wrap: wrap; gap: .6em; align-items: end; margin-bottom: 1em; }
.filters label { display: flex; flex-direction: column; font-size: 12px; }
.side-by-side { display: grid; grid-template-columns: 3fr 2fr; gap: 1.5em; }
.badge { display: inline-block; padding: 0 .5em; border-radius: .7em; font-size: 12px; background: #e1e4e8; }
.parked { background: #ffd8a8; }
.replayed { background: #c3fae8; }
.failed, .error { color: #b00020; }
.notice { background: #fff3bf; padding: .5em .8em; }
.actions { display: flex; gap: 1em; margin: .8em 0; }
`;
