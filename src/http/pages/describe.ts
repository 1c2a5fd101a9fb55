/** How nodes read on a page: type names, codec chains, attribute lists, variable rows. */
import type { ArrayNode, Attributes, DataType, GroupNode } from "../../model/types.ts";
import { strictJson } from "../../zarr/json.ts";
import type { Store } from "../../zarr/store.ts";
import { encodingOf } from "../../zarr/pipeline.ts";
import { esc, hrefOf } from "./html.ts";

/** numpy's name for a model type. */
export function dtypeName(t: DataType): string {
  switch (t.kind) {
    case "bool":
      return "bool";
    case "int":
    case "uint":
    case "float":
      return `${t.kind}${t.size * 8}`;
    case "complex":
      return `complex${t.size * 8}`;
    case "bytes":
      return `|S${t.size}`;
    case "string":
      return "str (vlen)";
    case "struct":
      return `struct {${t.fields.map((f) => `${f.name}: ${dtypeName(f.type)}`).join(", ")}}`;
  }
}

/** The codec chain clients of `store` decode for `array`, as "shuffle(4) → zlib(4)". */
export function codecText(store: Store, array: ArrayNode): string {
  const enc = encodingOf(array, store.options.compressor, store.options.passthrough);
  const items = [...(enc.v2Filters ?? []), ...(enc.v2Compressor ? [enc.v2Compressor] : [])];
  const text = items.map((c) => {
    const { id, ...rest } = c as { id: string } & Record<string, unknown>;
    const args = Object.values(rest).filter((v) => typeof v !== "object").join(", ");
    return args ? `${id}(${args})` : id;
  }).join(" → ") || "none";
  return enc.passthrough ? `${text} (as stored)` : text;
}

function attrText(v: unknown): string {
  return typeof v === "string" ? v : strictJson(v);
}

/** Attributes as a collapsible list (open when asked). */
export function attributesBlock(attrs: Attributes, open = false): string {
  const names = Object.keys(attrs);
  if (names.length === 0) return `<p class="none">no attributes</p>`;
  const rows = names.map((k) => `<dt>${esc(k)}</dt><dd>${esc(attrText(attrs[k]))}</dd>`).join("");
  return `<details class="attrs"${open ? " open" : ""}><summary>attributes (${names.length})` +
    `</summary><dl>${rows}</dl></details>`;
}

/** The coordinate names of a group, as xarray finds them: dimension names and `coordinates`. */
export function coordinateNames(group: GroupNode): Set<string> {
  const out = new Set<string>();
  for (const [name, node] of group.children) {
    if (node.kind !== "array") continue;
    if (node.dims.length === 1 && node.dims[0] === name) out.add(name);
    const listed = node.attrs.coordinates;
    if (typeof listed === "string") {
      for (const c of listed.split(/\s+/)) if (group.children.get(c)?.kind === "array") out.add(c);
    }
  }
  return out;
}

/**
 * One variable as a table row: name (a link to its page under `mount`), dims, shape, type,
 * chunks, codecs.
 */
export function variableRow(
  store: Store,
  path: string,
  name: string,
  array: ArrayNode,
  mount = `/${store.dataset.name}`,
): string {
  const dims = array.dims.length ? `(${array.dims.join(", ")})` : "()";
  const title = typeof array.attrs.long_name === "string" ? array.attrs.long_name : "";
  const units = typeof array.attrs.units === "string" ? array.attrs.units : "";
  return `<tr><td class="name"><a href="${esc(hrefOf(mount, path))}">${esc(name)}</a></td><td>${
    esc(dims)
  }</td><td>${esc(array.shape.join(" × ") || "scalar")}</td><td>${
    esc(dtypeName(array.dtype))
  }</td><td>${esc(array.chunks.join(" × ") || "—")}</td><td>${esc(codecText(store, array))}</td>` +
    `<td>${esc([title, units && `[${units}]`].filter(Boolean).join(" "))}</td></tr>` +
    `<tr class="attr-row"><td></td><td colspan="6">${attributesBlock(array.attrs)}</td></tr>`;
}

/** The table head of variable rows. */
export const VARIABLE_HEAD =
  "<tr><th>name</th><th>dims</th><th>shape</th><th>dtype</th><th>chunks</th><th>codecs</th>" +
  "<th>description</th></tr>";
