/** Datasets built in code from typed arrays: the demo datasets and library use. */
import {
  autoChunks,
  chunkRegion,
  extractBlock,
  itemSize,
  padChunk,
  product,
} from "../../model/grid.ts";
import type {
  ArrayNode,
  Attributes,
  ChunkData,
  Dataset,
  DataType,
  FillValue,
  GroupNode,
  Node,
} from "../../model/types.ts";
import {
  dtypeOfTypedArray,
  fillElementBytes,
  type NumericArray,
  withFillFromAttrs,
} from "../../model/values.ts";

/** One in-memory variable: C-order data over the named dimensions. */
export interface MemoryVariable {
  /** Dimension names, one per axis ([] for a scalar). */
  dims: string[];
  /** The values in C order: a typed array, strings, or booleans. */
  data: NumericArray | string[] | boolean[];
  /** The variable's attributes. */
  attrs?: Attributes;
  /** Chunk shape; default: whole trailing dims, a few MiB per chunk. */
  chunks?: number[];
  /** Written as the Zarr fill_value (and so read by xarray as `_FillValue`). */
  fillValue?: FillValue;
  /** Overrides the type implied by `data`, e.g. to declare bytes as bool. */
  dtype?: DataType;
}

/** A group of in-memory variables, with the sizes of its dimensions. */
export interface MemoryGroup {
  /** Dimension sizes; a variable's shape is looked up here by its dims. */
  dims?: Record<string, number>;
  /** The group's attributes. */
  attrs?: Attributes;
  /** Variables by name. */
  variables?: Record<string, MemoryVariable>;
  /** Subgroups by name; they see this group's dimension sizes. */
  groups?: Record<string, MemoryGroup>;
}

let versionCounter = 0;

/** Builds a dataset from typed arrays; throws naming the variable on a shape mismatch. */
export function memoryDataset(name: string, spec: MemoryGroup): Dataset {
  const version = `mem-${Date.now().toString(36)}-${versionCounter++}`;
  return {
    name,
    root: memoryGroup(spec, {}, ""),
    version,
    source: "memory",
    warnings: [],
  };
}

function memoryGroup(
  spec: MemoryGroup,
  parentDims: Record<string, number>,
  path: string,
): GroupNode {
  const dims = { ...parentDims, ...spec.dims };
  const children = new Map<string, Node>();
  for (const [name, v] of Object.entries(spec.variables ?? {})) {
    children.set(name, memoryArray(v, dims, path ? `${path}/${name}` : name));
  }
  for (const [name, g] of Object.entries(spec.groups ?? {})) {
    children.set(name, memoryGroup(g, dims, path ? `${path}/${name}` : name));
  }
  return { kind: "group", attrs: spec.attrs ?? {}, children };
}

function memoryArray(v: MemoryVariable, sizes: Record<string, number>, path: string): ArrayNode {
  const shape = v.dims.map((d) => {
    const n = sizes[d];
    if (n === undefined) throw new Error(`variable ${path}: dimension "${d}" has no size`);
    return n;
  });
  if (v.data.length !== product(shape)) {
    throw new Error(
      `variable ${path}: data has ${v.data.length} values, dims ${v.dims} need ${product(shape)}`,
    );
  }
  if (v.dims.length !== new Set(v.dims).size) {
    throw new Error(`variable ${path}: repeated dimension in ${v.dims}`);
  }
  const isStrings = Array.isArray(v.data) && typeof v.data[0] !== "boolean";
  const dtype: DataType = v.dtype ??
    (isStrings
      ? { kind: "string" }
      : Array.isArray(v.data)
      ? { kind: "bool" }
      : dtypeOfTypedArray(v.data as NumericArray));
  const { attrs, fillValue } = withFillFromAttrs(v.attrs, v.fillValue);
  const elem = itemSize(dtype);
  const chunks = v.chunks ?? autoChunks(shape, elem || 64);
  if (chunks.length !== shape.length || chunks.some((c) => !(c >= 1))) {
    throw new Error(`variable ${path}: chunks ${chunks} do not fit dims ${v.dims}`);
  }
  let readChunk: (coords: readonly number[]) => ChunkData;
  let readRegion: (start: readonly number[], count: readonly number[]) => ChunkData;
  if (dtype.kind === "string") {
    const strings = v.data as string[];
    const fill = [typeof fillValue === "string" ? fillValue : ""];
    readRegion = (start, count) => extractBlock(strings, shape, start, count, 1);
    readChunk = (coords) => {
      const { start, count } = chunkRegion(shape, chunks, coords);
      return padChunk(extractBlock(strings, shape, start, count, 1), count, chunks, fill, 1);
    };
  } else {
    const bytes = Array.isArray(v.data)
      ? Uint8Array.from(v.data as boolean[], (b) => (b ? 1 : 0))
      : new Uint8Array(v.data.buffer, v.data.byteOffset, v.data.byteLength);
    const fill = fillElementBytes(dtype, fillValue);
    readRegion = (start, count) => extractBlock(bytes, shape, start, count, elem);
    readChunk = (coords) => {
      const { start, count } = chunkRegion(shape, chunks, coords);
      return padChunk(extractBlock(bytes, shape, start, count, elem), count, chunks, fill, elem);
    };
  }
  return {
    kind: "array",
    shape,
    chunks,
    dtype,
    dims: v.dims,
    attrs,
    fillValue,
    readChunk,
    readRegion,
  };
}
