/**
 * Computed variables: a function of other variables' chunks, evaluated only
 * for the chunk a client asks for. They sit on top of any dataset: files,
 * aggregations, in-memory or templated.
 */
import { chunkRegion, itemSize, product } from "../../model/grid.ts";
import { findNode } from "../../model/tree.ts";
import type {
  ArrayNode,
  Attributes,
  Dataset,
  DataType,
  FillValue,
  GroupNode,
  Node,
} from "../../model/types.ts";
import {
  bytesOf,
  type NumericArray,
  toDataType,
  typedView,
  type TypeName,
  withFillFromAttrs,
} from "../../model/values.ts";

/** Where the chunk being computed sits. */
export interface ChunkContext {
  /** Chunk grid coordinates. */
  coords: readonly number[];
  /** The chunk's first element in array coordinates. */
  start: readonly number[];
  /** How much of the chunk lies inside the array (edge chunks are smaller). */
  count: readonly number[];
  /** The full chunk shape; inputs and output have `product(shape)` values. */
  shape: readonly number[];
}

/** A variable computed from other variables of the same shape and chunking. */
export interface ComputedVariable {
  /** Paths of the input variables, in the order `compute` receives them. */
  inputs: string[];
  /** The output type. */
  dtype: TypeName | DataType;
  /** The output's attributes. */
  attrs?: Attributes;
  /** The output's fill value. */
  fillValue?: FillValue;
  /** Dimension names; default: the first input's. */
  dims?: string[];
  /** One chunk's values from the inputs' values for the same chunk (C order, full chunk). */
  compute(inputs: NumericArray[], chunk: ChunkContext): NumericArray | Promise<NumericArray>;
}

/** Adds computed variables to the root group of `base` (a new dataset; `base` is unchanged). */
export function withComputed(
  base: Dataset,
  variables: Record<string, ComputedVariable>,
  name = base.name,
): Dataset {
  const children = new Map<string, Node>(base.root.children);
  for (const [varName, spec] of Object.entries(variables)) {
    children.set(varName, computedArray(base.root, varName, spec));
  }
  const root: GroupNode = { ...base.root, children };
  return { ...base, name, root, version: `${base.version}+computed` };
}

function computedArray(root: GroupNode, name: string, spec: ComputedVariable): ArrayNode {
  const inputs = spec.inputs.map((p) => {
    const node = findNode(root, p);
    if (node?.kind !== "array") throw new Error(`computed ${name}: no input variable "${p}"`);
    return node;
  });
  if (inputs.length === 0) throw new Error(`computed ${name}: needs at least one input`);
  const [first] = inputs;
  for (const [i, a] of inputs.entries()) {
    if (a.shape.join() !== first.shape.join() || a.chunks.join() !== first.chunks.join()) {
      throw new Error(
        `computed ${name}: input "${
          spec.inputs[i]
        }" has shape ${a.shape} and chunks ${a.chunks}, ` +
          `unlike "${spec.inputs[0]}" (${first.shape}, ${first.chunks})`,
      );
    }
    if (a.dtype.kind === "string" || a.dtype.kind === "struct" || a.dtype.kind === "bytes") {
      throw new Error(`computed ${name}: input "${spec.inputs[i]}" is not numeric`);
    }
  }
  const dtype = toDataType(spec.dtype);
  const n = product(first.chunks);
  return {
    kind: "array",
    shape: first.shape,
    chunks: first.chunks,
    dtype,
    dims: spec.dims ?? first.dims,
    ...withFillFromAttrs(spec.attrs, spec.fillValue),
    async readChunk(coords) {
      const values = await Promise.all(
        inputs.map(async (a) => typedView(a.dtype, (await a.readChunk(coords)) as Uint8Array)),
      );
      const { start, count } = chunkRegion(first.shape, first.chunks, coords);
      const out = await spec.compute(values, { coords, start, count, shape: first.chunks });
      if (out.length !== n || out.BYTES_PER_ELEMENT !== itemSize(dtype)) {
        throw new Error(
          `computed ${name}: compute returned ${out.length} values of ${out.BYTES_PER_ELEMENT} ` +
            `bytes; the chunk needs ${n} of ${itemSize(dtype)}`,
        );
      }
      return bytesOf(out);
    },
  };
}
