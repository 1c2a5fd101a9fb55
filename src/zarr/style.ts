/**
 * Which metadata documents a store answers, and how their JSON spells NaN: a store serves each
 * client the documents it reads without complaint (chosen by the HTTP layer, per client).
 */
import type { MetaKey } from "./keys.ts";
import type { NonFinite } from "./json.ts";

/**
 * The Zarr formats whose documents answer: "both" (v2 and v3 side by side); "v3" (`zarr.json`
 * at every node, and the root's consolidated `.zmetadata` for v2 readers that start there, but no
 * `.zgroup`, `.zarray` or `.zattrs`: zarr-python 3 warns when both formats' documents of a node
 * answer); "v2" (no `zarr.json`, so a client that prefers v3 reads v2).
 */
export type Formats = "both" | "v3" | "v2";

/** How a store's metadata documents look to one client. */
export interface DocStyle {
  /** The formats whose documents answer. */
  readonly formats: Formats;
  /** How NaN and ±Infinity attribute values are spelled. */
  readonly nonFinite: NonFinite;
}

/** Both formats, strict JSON: what a client that says nothing about itself gets. */
export const BOTH_STRICT: DocStyle = { formats: "both", nonFinite: "strings" };

/** Whether the document `doc` answers under `formats`. */
export function answers(doc: MetaKey["doc"], formats: Formats): boolean {
  if (formats === "both" || doc === ".zmetadata") return true;
  return formats === "v3" ? doc === "zarr.json" : doc !== "zarr.json";
}

/** A short tag that tells styles apart in ETags and cache keys. */
export function styleTag(style: DocStyle): string {
  return `${style.formats}/${style.nonFinite}`;
}
