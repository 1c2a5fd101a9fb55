/** Listings: the datasets at `/`, and a group's keys at `/NAME/`, as JSON or HTML. */
import { strictJson } from "../zarr/json.ts";
import type { Store } from "../zarr/store.ts";

/** Whether the client prefers HTML (a browser) to JSON. */
export function wantsHtml(req: Request): boolean {
  return (req.headers.get("accept") ?? "").includes("text/html");
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    `<style>body{font-family:system-ui,sans-serif;margin:2em}code{background:#eee;padding:0 .3em}` +
    `li{margin:.3em 0}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>\n`;
}

/** What the `/` listing shows of one dataset. */
export interface ListedDataset {
  /** The store name (may contain `/`). */
  readonly name: string;
  /** Where it comes from. */
  readonly source: string;
  /** What it left out, and why. */
  warnings(): readonly string[];
}

/** The `/` listing document. */
export function datasetsListing(
  datasets: Iterable<ListedDataset>,
  baseUrl: string,
  html: boolean,
): { body: string; contentType: string } {
  const items = [...datasets].map((d) => ({
    name: d.name,
    url: `${baseUrl}/${d.name.split("/").map(encodeURIComponent).join("/")}`,
    source: d.source,
    warnings: d.warnings(),
  }));
  if (!html) {
    return {
      body: strictJson({ datasets: items }),
      contentType: "application/json",
    };
  }
  const lis = items.map((d) =>
    `<li><a href="${escapeHtml(d.url)}/">${escapeHtml(d.name)}</a> — ` +
    `<code>xarray.open_zarr("${escapeHtml(d.url)}")</code></li>`
  ).join("");
  return {
    body: page("zarrflask datasets", `<ul>${lis}</ul>`),
    contentType: "text/html; charset=utf-8",
  };
}

/** The listing of group `path` in `store`. */
export function groupListing(
  store: Store,
  path: string,
  html: boolean,
): { body: string; contentType: string } {
  const keys = store.list(path);
  if (!html) {
    return {
      body: strictJson({ dataset: store.dataset.name, path, keys }),
      contentType: "application/json",
    };
  }
  // Links are absolute paths so that the page reads the same with or without a trailing slash.
  const prefix = `/${store.dataset.name.split("/").map(encodeURIComponent).join("/")}/${
    path ? `${path}/` : ""
  }`;
  const lis = keys.map((k) => `<li><a href="${escapeHtml(prefix + k)}">${escapeHtml(k)}</a></li>`)
    .join("");
  return {
    body: page(`${store.dataset.name}/${path}`, `<ul>${lis}</ul>`),
    contentType: "text/html; charset=utf-8",
  };
}
