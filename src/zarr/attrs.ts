/** Attributes as Zarr documents write them: source floats stay floats. */
import type { AttrValue, Node } from "../model/types.ts";
import { JsonFloat } from "./json.ts";

/**
 * `attrs` (a node's, by default) with the numbers of its float attributes as `JsonFloat`s, so
 * that an integral float is written `5.0`: Python clients then read a float, as from the file.
 */
export function typedAttrs(
  node: Node,
  attrs: Readonly<Record<string, AttrValue>> = node.attrs,
): Record<string, unknown> {
  if (!node.floatAttrs?.length) return { ...attrs };
  const out: Record<string, unknown> = { ...attrs };
  for (const name of node.floatAttrs) if (name in out) out[name] = floats(attrs[name]);
  return out;
}

function floats(v: AttrValue): unknown {
  if (typeof v === "number") return new JsonFloat(v);
  return Array.isArray(v) ? v.map(floats) : v;
}
