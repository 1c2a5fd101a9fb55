/** The pages' style sheet, served at /_zarrflask/page.css (the legend uses the colour map). */
import { cssGradient } from "./colormap.ts";

/** The CSS text. */
export const PAGE_CSS = `
[hidden] { display: none !important; }
:root { color-scheme: light dark; --muted: #6b7280; --line: #d1d5db; --code: #f3f4f6; }
@media (prefers-color-scheme: dark) { :root { --line: #374151; --code: #1f2937; } }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; }
header, main, footer { max-width: 72rem; margin: 0 auto; padding: .6rem 1.2rem; }
header nav { color: var(--muted); } header a { color: inherit; }
footer { color: var(--muted); font-size: .85em; }
h1 { font-size: 1.6rem; margin: .4rem 0; word-break: break-all; }
h2 { font-size: 1.1rem; margin: 1.4rem 0 .4rem; border-bottom: 1px solid var(--line); }
code { font: .9em ui-monospace, SFMono-Regular, Menlo, monospace; }
.source { color: var(--muted); margin-right: .6em; }
.copy { display: flex; gap: .5em; align-items: center; margin: .25em 0; }
.copy .label { min-width: 4.5em; color: var(--muted); font-size: .85em; }
.copy code { background: var(--code); padding: .15em .4em; border-radius: 4px; overflow-x: auto;
  white-space: pre; flex: 1; }
button { font: inherit; font-size: .8em; padding: .1em .6em; cursor: pointer; }
table.vars { border-collapse: collapse; width: 100%; font-size: .92em; }
table.vars th { text-align: left; color: var(--muted); font-weight: 500; }
table.vars td, table.vars th { padding: .25em .5em; border-bottom: 1px solid var(--line);
  vertical-align: top; }
table.vars tr.attr-row td { border-bottom: 1px solid var(--line); padding-top: 0; }
table.vars td.name { font-weight: 600; white-space: nowrap; }
details summary { cursor: pointer; color: var(--muted); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .1em 1em; margin: .3em 0; }
dt { font-weight: 600; } dd { margin: 0; white-space: pre-wrap; word-break: break-word; }
.dim { background: var(--code); padding: .1em .5em; border-radius: 4px; margin-right: .3em; }
.warnings { border-left: 4px solid #d97706; padding: .3em .8em; margin: .8em 0; }
.warn { color: #b45309; margin-left: .6em; font-size: .9em; }
ul.datasets { list-style: none; padding: 0; }
ul.datasets li { margin: .8em 0; }
a.dataset { font-weight: 600; font-size: 1.1em; margin-right: .6em; }
.none { color: var(--muted); }
.dim-control { display: flex; gap: .6em; align-items: center; margin: .3em 0; }
.dim-name { min-width: 8em; } .dim-control input[type=range] { flex: 1; max-width: 30em; }
.dim-control input[type=number] { width: 6em; } .dim-label { font-variant-numeric: tabular-nums; }
figure { margin: .6em 0; }
.frame { background: repeating-conic-gradient(#ccc 0 25%, #fff 0 50%) 0 0 / 16px 16px;
  display: block; max-width: 60rem; line-height: 0; }
.frame img { display: block; width: 100%; height: auto; image-rendering: pixelated; }
svg.line { width: min(100%, 60rem); height: 14rem; background: var(--code); }
svg.line polyline { fill: none; stroke: #3e4a89; stroke-width: 1.5; }
.legend { display: flex; align-items: center; gap: .5em; margin: .4em 0; }
.legend .bar { display: inline-block; width: 16rem; height: .9rem; background: ${cssGradient()}; }
.axes, .status, .note { color: var(--muted); font-size: .88em; }
`;
