/** Coordinate values for labels: a dimension's coordinate variable, times as dates. */
import { findNode } from "../../model/tree.ts";
import type { ArrayNode, AttrValue, GroupNode } from "../../model/types.ts";
import { cfDate } from "./cf_time.ts";
import { chunkSource, readSlice } from "./slice.ts";
import { hasNumbers } from "../../model/cf_decode.ts";

/** The 1-D coordinate variable of dimension `dim` seen from group `group`, if any. */
export function coordinateOf(root: GroupNode, group: string, dim: string, length: number) {
  // netCDF-4 scopes dimensions to a group and its children: look here, then upwards.
  const parts = group ? group.split("/") : [];
  for (let n = parts.length; n >= 0; n--) {
    const node = findNode(root, [...parts.slice(0, n), dim].join("/"));
    if (
      node?.kind === "array" && node.shape.length === 1 && node.shape[0] === length &&
      hasNumbers(node.dtype)
    ) return node;
  }
  return undefined;
}

function text(v: AttrValue | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** How a value of `array` reads to people: a date for CF times, else the number and units. */
export function formatValue(array: ArrayNode, value: number): string {
  if (Number.isNaN(value)) return "missing";
  const units = text(array.attrs.units) ?? "";
  if (/\bsince\b/i.test(units)) {
    const date = cfDate(value, units, text(array.attrs.calendar) ?? "standard");
    if (date) return date;
  }
  const num = Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  return units ? `${num} ${units}` : num;
}

/** The values of a 1-D coordinate at `indices`, each read from its chunk. */
export async function coordinateValues(coord: ArrayNode, indices: number[]): Promise<number[]> {
  const read = chunkSource(coord);
  return await Promise.all(indices.map(async (i) => {
    const { values } = await readSlice(
      coord,
      read,
      [0],
      new Map([[0, { start: i, stride: 1, count: 1 }]]),
    );
    return values[0];
  }));
}
