/**
 * Templated ("hypothetical") datasets: metadata from a template, chunks made
 * or located on demand by a function. Nothing is enumerated, so a template
 * may describe far more chunks than could ever be listed.
 */
import { chunkRegion, filledBytes, itemSize, padChunk, product } from "../../model/grid.ts";
import {
  type ArrayNode,
  type Attributes,
  type ChunkData,
  type Dataset,
  type DataType,
  type FillValue,
  MissingChunkError,
  type Node,
} from "../../model/types.ts";
import {
  bytesOf,
  fillElementBytes,
  type NumericArray,
  toDataType,
  type TypeName,
  withFillFromAttrs,
} from "../../model/values.ts";
import type { ChunkContext } from "./computed.ts";

/** One templated variable. */
export interface TemplateVariable {
  /** Dimension names, sized by the template's `dims`. */
  dims: string[];
  /** The element type. */
  dtype: TypeName | DataType;
  /** Chunk shape, one entry per dim. */
  chunks: number[];
  /** The variable's attributes. */
  attrs?: Attributes;
  /** Values of missing chunks and of padding at the edges. */
  fillValue?: FillValue;
  /**
   * The chunk's values: the full chunk, or just its in-array part (`chunk.count`)
   * at the edges. `undefined` means the chunk does not exist.
   */
  chunk(
    chunk: ChunkContext,
  ): NumericArray | string[] | undefined | Promise<NumericArray | string[] | undefined>;
}

/** A whole templated dataset. */
export interface TemplateSpec {
  /** Dimension sizes. */
  dims: Record<string, number>;
  /** Global attributes. */
  attrs?: Attributes;
  /** Variables by name. */
  variables: Record<string, TemplateVariable>;
  /** A chunk that does not exist: a chunk of fill values (default), or a 404. */
  missing?: "fill" | "404";
}

/** Builds a templated dataset; throws naming the variable on an inconsistent template. */
export function template(name: string, spec: TemplateSpec): Dataset {
  const children = new Map<string, Node>();
  for (const [varName, v] of Object.entries(spec.variables)) {
    children.set(varName, templateArray(varName, v, spec));
  }
  return {
    name,
    root: { kind: "group", attrs: spec.attrs ?? {}, children },
    version: `template-${name}`,
    source: "template",
    warnings: [],
  };
}

function templateArray(name: string, v: TemplateVariable, spec: TemplateSpec): ArrayNode {
  const shape = v.dims.map((d) => {
    const n = spec.dims[d];
    if (!(Number.isInteger(n) && n >= 0)) {
      throw new Error(`template ${name}: dimension "${d}" has no size`);
    }
    return n;
  });
  if (v.chunks.length !== shape.length || v.chunks.some((c) => !(Number.isInteger(c) && c >= 1))) {
    throw new Error(`template ${name}: chunks ${v.chunks} do not fit dims ${v.dims}`);
  }
  const dtype = toDataType(v.dtype);
  const { attrs, fillValue } = withFillFromAttrs(v.attrs, v.fillValue);
  const elem = itemSize(dtype);
  const full = product(v.chunks);
  const fill: ChunkData = dtype.kind === "string"
    ? [typeof fillValue === "string" ? fillValue : ""]
    : fillElementBytes(dtype, fillValue);
  const fillChunk = (): ChunkData =>
    Array.isArray(fill) ? new Array<string>(full).fill(fill[0]) : filledBytes(full, fill);
  return {
    kind: "array",
    shape,
    chunks: v.chunks,
    dtype,
    dims: v.dims,
    attrs,
    fillValue,
    async readChunk(coords) {
      const { start, count } = chunkRegion(shape, v.chunks, coords);
      const data = await v.chunk({ coords, start, count, shape: v.chunks });
      if (data === undefined) {
        if (spec.missing === "404") {
          throw new MissingChunkError(`${name}: chunk ${coords} does not exist`);
        }
        return fillChunk();
      }
      const n = data.length;
      const inside = product(count);
      if (n !== full && n !== inside) {
        throw new Error(
          `template ${name}: chunk ${coords} has ${n} values, expected ${full} or ${inside}`,
        );
      }
      if (Array.isArray(data)) {
        return n === full ? data : padChunk(data, count, v.chunks, fill as string[], 1);
      }
      if (data.BYTES_PER_ELEMENT !== elem) {
        throw new Error(
          `template ${name}: chunk values are ${data.BYTES_PER_ELEMENT}-byte, type needs ${elem}`,
        );
      }
      const bytes = bytesOf(data);
      return n === full ? bytes : padChunk(bytes, count, v.chunks, fill as Uint8Array, elem);
    },
  };
}
