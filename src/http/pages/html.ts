/** HTML building blocks of the pages for people: escaping, the page shell, copyable lines. */

/** Text made safe for HTML element content and quoted attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Where the pages' own script and style are served (never a dataset name). */
export const ASSET_PREFIX = "/_zarrflask/";

/**
 * The page's security policy: only this server's scripts, styles and images, no inline script,
 * so even an attribute that slipped through escaping could not run or call out.
 */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; " +
  "connect-src 'self'; base-uri 'none'; form-action 'none'";

/** A whole page: `crumbs` are [label, href] pairs leading to this page. */
export function pageShell(title: string, crumbs: [string, string][], body: string): string {
  const nav = crumbs.map(([label, href]) => `<a href="${esc(href)}">${esc(label)}</a>`).join(
    " / ",
  );
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${esc(title)} · zarrflask</title>` +
    `<link rel="stylesheet" href="${ASSET_PREFIX}page.css">` +
    `<script src="${ASSET_PREFIX}page.js" defer></script></head>` +
    `<body><header><nav>${nav}</nav></header><main>${body}</main>` +
    `<footer>served by zarrflask</footer></body></html>\n`;
}

/** A line of code with a copy button. */
export function copyLine(label: string, code: string): string {
  return `<div class="copy"><span class="label">${esc(label)}</span><code>${esc(code)}</code>` +
    `<button type="button" data-copy="${esc(code)}">copy</button></div>`;
}

/** A dataset or node path as an absolute URL path, each segment encoded. */
export function hrefOf(...parts: string[]): string {
  const segs = parts.flatMap((p) => p.split("/")).filter((p) => p !== "");
  return "/" + segs.map(encodeURIComponent).join("/");
}
