/**
 * Listings for programs: the datasets at `/` as JSON, and a group's keys at `/NAME/` as JSON or
 * as a page of links (how fsspec's HTTP filesystem lists a directory). Browsers get the pages
 * for people instead (pages/).
 */
import { strictJson } from "../zarr/json.ts";
import { esc } from "./pages/html.ts";
import type { Store } from "../zarr/store.ts";
import { BOTH_STRICT, type DocStyle } from "../zarr/style.ts";

/** Whether the client prefers HTML (a browser) to JSON. */
export function wantsHtml(req: Request): boolean {
  return (req.headers.get("accept") ?? "").includes("text/html");
}

/** What the `/` listing shows of one dataset. */
export interface ListedDataset {
  /** The store name (may contain `/`). */
  readonly name: string;
  /** Where it comes from. */
  readonly source: string;
  /** What it left out, and why. */
  warnings(): readonly string[];
  /** Whether it has a pyramid (undefined: not known yet). */
  hasPyramid?(): boolean | undefined;
}

/** The `/` listing document (JSON). */
export function datasetsListing(
  datasets: Iterable<ListedDataset>,
  baseUrl: string,
): { body: string; contentType: string } {
  const items = [...datasets].map((d) => {
    const path = d.name.split("/").map(encodeURIComponent).join("/");
    return {
      name: d.name,
      url: `${baseUrl}/${path}`,
      ...(d.hasPyramid?.() ? { pyramid: `${baseUrl}/pyramid/${path}` } : {}),
      source: d.source,
      warnings: d.warnings(),
    };
  });
  return { body: strictJson({ datasets: items }), contentType: "application/json" };
}

/** The listing of group `path` in `store`, as a client in `style` sees it at `mount`. */
export function groupListing(
  store: Store,
  path: string,
  html: boolean,
  style: DocStyle = BOTH_STRICT,
  mount = `/${store.dataset.name}`,
): { body: string; contentType: string } {
  const keys = store.list(path, style);
  if (!html) {
    return {
      body: strictJson({ dataset: store.dataset.name, path, keys }),
      contentType: "application/json",
    };
  }
  // Links are absolute paths so that the page reads the same with or without a trailing slash.
  const prefix = `${mount.split("/").map(encodeURIComponent).join("/")}/${path ? `${path}/` : ""}`;
  const lis = keys.map((k) => `<li><a href="${esc(prefix + k)}">${esc(k)}</a></li>`).join("");
  const title = esc(`${store.dataset.name}/${path}`);
  return {
    body: `<!doctype html>\n<html><head><meta charset="utf-8"><title>${title}</title></head>` +
      `<body><h1>${title}</h1><ul>${lis}</ul></body></html>\n`,
    contentType: "text/html; charset=utf-8",
  };
}
