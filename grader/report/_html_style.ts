/**
 * The class report's stylesheet, inlined into the page (no network).
 *
 * @module
 */

/** The CSS of the class report. */
export const HTML_STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem;
  color: #1d2430; }
h1 { margin-bottom: 0.2rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #d9dde3; }
.meta { color: #5a6472; }
table { border-collapse: collapse; margin: 0.5rem 0; }
th, td { border-bottom: 1px solid #e6e9ee; padding: 0.25rem 0.6rem; text-align: left;
  vertical-align: top; }
th { background: #f3f5f8; }
th[role="columnheader"]:not(.no-sort) { cursor: pointer; }
th[aria-sort="ascending"]::after { content: " ▲"; } th[aria-sort="descending"]::after { content: " ▼"; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.rates td:nth-last-child(2) { white-space: nowrap; }
.bar { display: inline-block; width: 8rem; height: 0.7rem; background: #e6e9ee;
  vertical-align: middle; }
.bar > span { display: block; height: 100%; background: #3a8f5c; }
.status-passed { color: #1f7a44; } .status-inconclusive, .status-skipped { color: #8a6d00; }
.status-failed, .status-error, .status-timeout, .status-out-of-memory, .status-crashed {
  color: #b3261e; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5rem; }
figure.chart { margin: 0; } figcaption { color: #5a6472; max-width: 28rem; }
details svg, .sweep svg { max-width: 32rem; height: auto; }
button.open { font: inherit; border: 0; background: none; padding: 0; color: #1d4f91;
  cursor: pointer; text-align: left; }
button.open::before { content: "▸ "; } button.open[aria-expanded="true"]::before { content: "▾ "; }
tr.detail > td { background: #fafbfc; padding: 0.5rem 1rem 1rem; }
section.exercise h4 { margin: 0.6rem 0 0.2rem; }
table.checks { font-size: 13px; } table.checks td:nth-child(4) { max-width: 34rem; }
details.output pre { max-height: 18rem; overflow: auto; background: #f3f5f8; padding: 0.5rem;
  white-space: pre-wrap; word-break: break-all; }
#student-search { font: inherit; padding: 0.2rem 0.4rem; }
`;
