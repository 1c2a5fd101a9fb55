/** The page of one variable: its structure and attributes, and a quick look at its values. */
import type { ArrayNode } from "../../model/types.ts";
import type { Store } from "../../zarr/store.ts";
import { attributesBlock, VARIABLE_HEAD, variableRow } from "./describe.ts";
import { openLines } from "./dataset_page.ts";
import { esc, hrefOf, pageShell } from "./html.ts";
import { MAX_SIDE } from "./quicklook.ts";
import { hasNumbers } from "../../model/cf_decode.ts";
import { PYRAMID_PREFIX, zoomLevels } from "../pyramids.ts";

/** The page of variable `path` of `store`, served under `mount` (`/NAME`, `/v2/NAME`, ...). */
export function variablePage(
  store: Store,
  path: string,
  array: ArrayNode,
  origin: string,
  mount = `/${store.dataset.name}`,
): string {
  const ds = store.dataset;
  // Quick-looks are under /_zarrflask/look/NAME, or look/pyramid/NAME for a pyramid's levels.
  const lookMount = mount.startsWith(PYRAMID_PREFIX) ? mount : `/${ds.name}`;
  const name = path.split("/").pop()!;
  const crumbs: [string, string][] = [["zarrflask", "/"], [ds.name, `${hrefOf(mount)}/`]];
  const parts = path.split("/");
  for (let i = 1; i < parts.length; i++) {
    crumbs.push([parts[i - 1], `${hrefOf(mount, parts.slice(0, i).join("/"))}/`]);
  }
  crumbs.push([name, hrefOf(mount, path)]);
  // The script builds the controls from these attributes (no inline script: see PAGE_CSP).
  // With a pyramid the look zooms: the script asks its levels for the window in view.
  const levels = path.includes("/") || lookMount !== `/${ds.name}` ? null : zoomLevels(store, path);
  const zoom = levels
    ? `data-pyramid="${esc(`/_zarrflask/look/pyramid${hrefOf(ds.name)}`)}" ` +
      `data-levels="${esc(JSON.stringify(levels))}" data-var="${esc(path)}" `
    : "";
  const look = hasNumbers(array.dtype)
    ? `<section id="look" data-api="${esc(`/_zarrflask/look${hrefOf(lookMount, path)}`)}" ` +
      zoom +
      `data-dims="${esc(JSON.stringify(array.dims))}" ` +
      `data-shape="${esc(JSON.stringify(array.shape))}">` +
      `<h2>Quick look</h2><div class="controls"></div>` +
      `<figure><div class="frame"><img alt="${esc(name)}" hidden>` +
      `<svg class="line" hidden></svg></div>` +
      `<figcaption><div class="axes"></div><div class="legend" hidden><span class="min"></span>` +
      `<span class="bar"></span><span class="max"></span></div>` +
      `<div class="status">loading…</div></figcaption></figure>` +
      `<p class="note">Drawn by the server from this store's chunks (only those the picture ` +
      `needs), unpacked, with fill values and NaN left transparent; fields larger than ` +
      `${MAX_SIDE} pixels a side are drawn every n-th element. y grows upwards, as in ` +
      `xarray's plots.</p></section>`
    : `<p class="none">${esc(array.dtype.kind)} values have no picture.</p>`;
  return pageShell(
    `${ds.name}/${path}`,
    crumbs,
    `<h1>${esc(name)}</h1>` + openLines(origin, hrefOf(mount), path) +
      `<table class="vars">${VARIABLE_HEAD}${
        variableRow(store, path, name, array, mount)
      }</table>` +
      look + `<h2>Attributes</h2>${attributesBlock(array.attrs, true)}`,
  );
}
