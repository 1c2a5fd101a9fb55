/** The pages for people: the list of datasets at `/`, and a dataset's (or group's) structure. */
import { findNode } from "../../model/tree.ts";
import type { GroupNode } from "../../model/types.ts";
import type { Store } from "../../zarr/store.ts";
import { attributesBlock, coordinateNames, VARIABLE_HEAD, variableRow } from "./describe.ts";
import { copyLine, esc, hrefOf, pageShell } from "./html.ts";
import { V2_PREFIX } from "../catalog.ts";
import { hasPyramid } from "../../pyramid/pyramid.ts";

/** What the index page shows of one dataset. */
export interface IndexItem {
  name: string;
  source: string;
  warnings: readonly string[];
  /** It has a pyramid at /pyramid/NAME/. */
  pyramid?: boolean;
}

/**
 * How clients open the store at `origin` + `href`: xarray, zarrita, GDAL, and zarr-python 2
 * without consolidated metadata (or 3 with zarr_format=2), which needs the v2-only URL.
 */
export function openLines(origin: string, href: string, variable?: string): string {
  const url = `${origin}${href}`;
  const v2 = `zarr.open_group("${origin}${V2_PREFIX.slice(0, -1)}${href}", mode="r")`;
  const gdal = variable
    ? `gdal_translate 'ZARR:"/vsicurl/${url}":/${variable}' ${variable.split("/").pop()}.tif`
    : `gdalinfo -mdd all 'ZARR:"/vsicurl/${url}"'`;
  return `<div class="open">` +
    copyLine(
      "xarray",
      variable ? `xarray.open_zarr("${url}")["${variable}"]` : `xarray.open_zarr("${url}")`,
    ) +
    copyLine(
      "zarrita",
      variable
        ? `await zarr.open(zarr.root(new zarr.FetchStore("${url}")).resolve("${variable}"), ` +
          `{ kind: "array" })`
        : `await zarr.open(new zarr.FetchStore("${url}"), { kind: "group" })`,
    ) +
    copyLine("GDAL", gdal) +
    copyLine("zarr v2", variable ? `${v2}["${variable}"]` : v2) +
    `</div>`;
}

/** How xarray opens the pyramid of the dataset at `href`. */
function pyramidLine(origin: string, href: string): string {
  return copyLine("pyramid", `xarray.open_datatree("${origin}/pyramid${href}", engine="zarr")`);
}

function warningsBlock(warnings: readonly string[]): string {
  if (warnings.length === 0) return "";
  const items = warnings.map((w) => `<li>${esc(w)}</li>`).join("");
  return `<details class="warnings" open><summary>left out (${warnings.length})</summary>` +
    `<ul>${items}</ul></details>`;
}

/** The `/` page: every dataset with its open line. */
export function indexPage(items: IndexItem[], origin: string): string {
  const rows = items.map((d) => {
    const url = `${origin}${hrefOf(d.name)}`;
    return `<li><a class="dataset" href="${esc(hrefOf(d.name))}/">${esc(d.name)}</a>` +
      `<span class="source">${esc(d.source)}</span>` +
      (d.warnings.length ? `<span class="warn">${d.warnings.length} left out</span>` : "") +
      copyLine("xarray", `xarray.open_zarr("${url}")`) +
      (d.pyramid ? pyramidLine(origin, hrefOf(d.name)) : "") + `</li>`;
  }).join("");
  return pageShell(
    "datasets",
    [["zarrflask", "/"]],
    `<h1>Datasets</h1>${items.length ? `<ul class="datasets">${rows}</ul>` : "<p>none yet</p>"}`,
  );
}

/**
 * The page of group `path` of `store`: dims, coordinates first, variables, groups, attributes;
 * its links stay under `mount`, where the store is served (`/NAME`, `/v2/NAME`, `/pyramid/NAME`).
 */
export function groupPage(
  store: Store,
  path: string,
  origin: string,
  mount = `/${store.dataset.name}`,
): string {
  const ds = store.dataset;
  const group = findNode(ds.root, path) as GroupNode;
  const coords = coordinateNames(group);
  const dims = new Map<string, number>();
  const coordRows: string[] = [], varRows: string[] = [], groups: string[] = [];
  for (const [name, node] of group.children) {
    const child = path ? `${path}/${name}` : name;
    if (node.kind === "group") {
      groups.push(`<li><a href="${esc(hrefOf(mount, child))}/">${esc(name)}/</a></li>`);
      continue;
    }
    node.dims.forEach((d, i) => dims.set(d, node.shape[i]));
    (coords.has(name) ? coordRows : varRows).push(variableRow(store, child, name, node, mount));
  }
  const dimText = [...dims].map(([d, n]) => `<span class="dim">${esc(d)}: ${n}</span>`).join(
    " ",
  );
  const table = (rows: string[]) =>
    rows.length
      ? `<table class="vars">${VARIABLE_HEAD}${rows.join("")}</table>`
      : `<p class="none">none</p>`;
  const crumbs: [string, string][] = [["zarrflask", "/"], [ds.name, `${hrefOf(mount)}/`]];
  let at = "";
  for (const part of path ? path.split("/") : []) {
    at = at ? `${at}/${part}` : part;
    crumbs.push([part, `${hrefOf(mount, at)}/`]);
  }
  const keys = store.list(path).map((k) =>
    `<li><a href="${esc(hrefOf(mount, path) + "/" + k)}">${esc(k)}</a></li>`
  ).join("");
  return pageShell(
    path ? `${ds.name}/${path}` : ds.name,
    crumbs,
    `<h1>${esc(path ? `${ds.name}/${path}` : ds.name)}</h1>` +
      `<p class="source">from ${esc(ds.source)}</p>` + openLines(origin, hrefOf(mount, path)) +
      (path === "" && mount === `/${ds.name}` && hasPyramid(ds)
        ? pyramidLine(origin, hrefOf(ds.name))
        : "") +
      warningsBlock(ds.warnings) +
      `<h2>Dimensions</h2><p class="dims">${dimText || "none"}</p>` +
      `<h2>Coordinates</h2>${table(coordRows)}` +
      `<h2>Data variables</h2>${table(varRows)}` +
      (groups.length ? `<h2>Groups</h2><ul>${groups.join("")}</ul>` : "") +
      `<h2>Attributes</h2>${attributesBlock(group.attrs, true)}` +
      `<details class="keys"><summary>Zarr keys</summary><ul>${keys}</ul></details>`,
  );
}
