/**
 * Quick-looks: a 2-D field (the last two dims, at chosen indices of the others) as a PNG with
 * its legend numbers, a 1-D variable as a line, a scalar as its value. Everything comes from the
 * store's own chunks, and only from those the picture needs.
 */
import { findNode } from "../../model/tree.ts";
import { cachedSource } from "./look_chunks.ts";
import type { Store } from "../../zarr/store.ts";
import { PALETTE, PALETTE_ALPHA, paletteIndex } from "./colormap.ts";
import { coordinateOf, coordinateValues, formatValue } from "./coords.ts";
import { hrefOf } from "./html.ts";
import { encodePng } from "./png.ts";
import { readSlice } from "./slice.ts";
import { hasNumbers } from "../../model/cf_decode.ts";

/** The longest side of a picture, in pixels: larger fields are drawn every n-th element. */
export const MAX_SIDE = 2048;
/** Points of a line plot: longer variables are drawn as min/max per bucket. */
export const MAX_POINTS = 2000;

/** One leading dimension's chosen index, with its coordinate value. */
export interface LeadingIndex {
  dim: string;
  index: number;
  size: number;
  label: string;
}

/** The JSON answer of a quick-look. */
export interface LookJson {
  path: string;
  dims: readonly string[];
  shape: readonly number[];
  kind: "field" | "line" | "value";
  units: string;
  title: string;
  leading: LeadingIndex[];
  min: number | null;
  max: number | null;
  minLabel: string;
  maxLabel: string;
  masked: number;
  field?: {
    width: number;
    height: number;
    stride: number;
    flipped: boolean;
    /** The rows and columns drawn: `[y0, y1, x0, x1]`, half-open. */
    window: number[];
    png: string;
    x: { dim: string; left: string; right: string };
    y: { dim: string; top: string; bottom: string };
  };
  line?: { dim: string; bucket: number; low: (number | null)[]; high: (number | null)[] };
  value?: string;
  read: { chunks: number; bytes: number; ms: number };
}

/** A rendered quick-look: its JSON, and the PNG of a field. */
export interface Look {
  json: LookJson;
  png?: Uint8Array;
}

/** Thrown for a request that names no drawable variable (answered 4xx). */
export class LookError extends Error {
  /** Names the error in logs. */
  override name = "LookError";
  /** The HTTP status. */
  readonly status: 400 | 404;
  /** An error answered with `status`. */
  constructor(status: 400 | 404, message: string) {
    super(message);
    this.status = status;
  }
}

const looks = new Map<string, Promise<Look>>();

/** Where a quick-look is, beyond its variable and leading indices. */
export interface LookView {
  /** The look route its picture is linked under (the store's, or its pyramid's). */
  base?: string;
  /** The rows and columns drawn, `[y0, y1, x0, x1]` half-open (default: all), at most ZOOM_SIDE a side. */
  window?: readonly number[];
}

/** The longest side of a window's picture: a zoomed view is drawn at about the page's size. */
const ZOOM_SIDE = 1024;

/** The quick-look of variable `path` of `store` at leading indices `at` (cached). */
export function quickLook(
  store: Store,
  path: string,
  at: readonly number[],
  view: LookView = {},
): Promise<Look> {
  const key = `${store.dataset.name}|${store.dataset.version}|${store.tag}|${path}|${at}|` +
    `${view.base}|${view.window}`;
  let look = looks.get(key);
  if (!look) {
    look = render(store, path, at, view);
    looks.set(key, look);
    look.catch(() => looks.delete(key));
    while (looks.size > 16) looks.delete(looks.keys().next().value!);
  }
  return look;
}

function text(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function extent(values: Float64Array): { min: number | null; max: number | null; masked: number } {
  let min = Infinity, max = -Infinity, masked = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) masked++; // NaN
    else {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return min <= max ? { min, max, masked } : { min: null, max: null, masked };
}

async function render(
  store: Store,
  path: string,
  atIn: readonly number[],
  view: LookView,
): Promise<Look> {
  const t0 = performance.now();
  const node = findNode(store.dataset.root, path);
  if (node?.kind !== "array") throw new LookError(404, `no variable "${path}"`);
  if (!hasNumbers(node.dtype)) {
    throw new LookError(400, `"${path}" holds ${node.dtype.kind} values: there is no picture`);
  }
  const nd = node.shape.length;
  const group = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
  const coord = (d: number) =>
    coordinateOf(store.dataset.root, group, node.dims[d] ?? "", node.shape[d]);
  const label = async (d: number, i: number) => {
    const c = coord(d);
    if (!c || c === node) return `index ${i}`;
    return formatValue(c, (await coordinateValues(c, [i]))[0]);
  };
  const lead = Math.max(0, nd - 2);
  const at = node.shape.slice(0, nd === 1 ? 0 : lead).map((n, d) =>
    Math.min(n - 1, Math.max(0, Math.trunc(atIn[d] ?? 0)))
  );
  const leading = await Promise.all(at.map(async (index, d) => ({
    dim: node.dims[d] ?? `dim_${d}`,
    index,
    size: node.shape[d],
    label: await label(d, index),
  })));
  const read = cachedSource(node, store.options.transcoder);
  const base = {
    path,
    dims: node.dims,
    shape: node.shape,
    units: text(node.attrs.units),
    title: text(node.attrs.long_name) || text(node.attrs.standard_name) || path,
    leading,
  };
  const finish = (json: Omit<LookJson, "read">, stats: { chunks: number; bytes: number }) => ({
    ...json,
    read: { ...stats, ms: Math.round(performance.now() - t0) },
  });
  const fmt = (v: number | null) => v === null ? "" : formatValue(node, v);

  if (nd === 0) {
    const { values, stats } = await readSlice(node, read, [], new Map());
    const e = extent(values);
    return {
      json: finish({
        ...base,
        kind: "value",
        ...e,
        minLabel: fmt(e.min),
        maxLabel: fmt(e.max),
        value: fmt(values[0]),
      }, stats),
    };
  }
  if (nd === 1) {
    const n = node.shape[0];
    const { values, stats } = await readSlice(
      node,
      read,
      [0],
      new Map([[0, { start: 0, stride: 1, count: n }]]),
    );
    const bucket = Math.max(1, Math.ceil(n / MAX_POINTS));
    const low: (number | null)[] = [], high: (number | null)[] = [];
    for (let b = 0; b < n; b += bucket) {
      const e = extent(values.subarray(b, Math.min(n, b + bucket)));
      low.push(e.min);
      high.push(e.max);
    }
    const e = extent(values);
    return {
      json: finish({
        ...base,
        kind: "line",
        ...e,
        minLabel: fmt(e.min),
        maxLabel: fmt(e.max),
        line: { dim: node.dims[0] ?? "dim_0", bucket, low, high },
      }, stats),
    };
  }
  const [y, x] = [nd - 2, nd - 1];
  const clip = (v: number | undefined, n: number, dflt: number) =>
    Math.min(n, Math.max(0, Math.trunc(v ?? dflt)));
  const win = view.window;
  const y0 = clip(win?.[0], node.shape[y] - 1, 0), x0 = clip(win?.[2], node.shape[x] - 1, 0);
  const y1 = Math.max(y0 + 1, clip(win?.[1], node.shape[y], node.shape[y]));
  const x1 = Math.max(x0 + 1, clip(win?.[3], node.shape[x], node.shape[x]));
  const [h, w] = [y1 - y0, x1 - x0];
  const stride = Math.max(1, Math.ceil(Math.max(h, w) / (win ? ZOOM_SIDE : MAX_SIDE)));
  const [oh, ow] = [Math.ceil(h / stride), Math.ceil(w / stride)];
  const fixed = [...at, 0, 0];
  const { values, stats } = await readSlice(
    node,
    read,
    fixed,
    new Map([[y, { start: y0, stride, count: oh }], [x, { start: x0, stride, count: ow }]]),
  );
  // As xarray plots: y increases upwards, so an ascending y (or no coordinate) is flipped.
  const yc = coord(y);
  const [yFirst, yLast] = yc
    ? await coordinateValues(yc, [0, node.shape[y] - 1])
    : [0, node.shape[y] - 1];
  const flipped = !(yFirst > yLast);
  const e = extent(values);
  const pixels = new Uint8Array(oh * ow);
  for (let r = 0; r < oh; r++) {
    const src = (flipped ? oh - 1 - r : r) * ow;
    for (let c = 0; c < ow; c++) {
      pixels[r * ow + c] = paletteIndex(values[src + c], e.min ?? 0, e.max ?? 0);
    }
  }
  const png = encodePng({ width: ow, height: oh, pixels, palette: PALETTE, alpha: PALETTE_ALPHA });
  const [left, right, first, last] = await Promise.all([
    label(x, x0),
    label(x, x1 - 1),
    label(y, y0),
    label(y, y1 - 1),
  ]);
  const href = `${view.base ?? "/_zarrflask/look"}${hrefOf(store.dataset.name, path)}?at=` +
    `${at.join(",")}${win ? `&win=${[y0, y1, x0, x1].join(",")}` : ""}&format=png`;
  return {
    json: finish({
      ...base,
      kind: "field",
      ...e,
      minLabel: fmt(e.min),
      maxLabel: fmt(e.max),
      field: {
        width: ow,
        height: oh,
        stride,
        flipped,
        window: [y0, y1, x0, x1],
        png: href,
        x: { dim: node.dims[x] ?? `dim_${x}`, left, right },
        y: {
          dim: node.dims[y] ?? `dim_${y}`,
          top: flipped ? last : first,
          bottom: flipped ? first : last,
        },
      },
    }, stats),
    png,
  };
}
