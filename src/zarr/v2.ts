/** Zarr v2 documents (.zgroup, .zarray, .zattrs, .zmetadata) from the model. */
import { typedAttrs } from "./attrs.ts";
import type { ArrayNode, Dataset, Node } from "../model/types.ts";
import { walk } from "../model/tree.ts";
import type { Compressor } from "../codecs/registry.ts";
import { v2DType, v2FillValue } from "./dtype.ts";
import { encodingOf, type PassThrough } from "./pipeline.ts";
import type { ZArray, ZAttrs, ZGroup, ZMetadata } from "./metadata.ts";

/** The `.zgroup` document. */
export function zgroup(): ZGroup {
  return { zarr_format: 2 };
}

/** The `.zarray` document of an array served with `compressor`. */
export function zarray(
  array: ArrayNode,
  compressor: Compressor,
  mode: PassThrough = "auto",
): ZArray {
  const encoding = encodingOf(array, compressor, mode);
  return {
    zarr_format: 2,
    shape: array.shape,
    chunks: array.chunks,
    dtype: v2DType(array.dtype),
    compressor: encoding.v2Compressor,
    fill_value: v2FillValue(array.dtype, array.fillValue),
    order: "C",
    filters: encoding.v2Filters,
    dimension_separator: ".",
  };
}

/** The `.zattrs` document: attributes plus xarray's `_ARRAY_DIMENSIONS` on arrays. */
export function zattrs(node: Node): ZAttrs {
  const attrs = typedAttrs(node);
  return node.kind === "array" ? { ...attrs, _ARRAY_DIMENSIONS: [...node.dims] } : attrs;
}

/** The consolidated `.zmetadata` of a whole dataset, as zarr.consolidate_metadata writes it. */
export function zmetadata(
  dataset: Dataset,
  compressor: Compressor,
  mode: PassThrough = "auto",
): ZMetadata {
  const metadata: ZMetadata["metadata"] = {};
  for (const [path, node] of walk(dataset.root)) {
    const prefix = path ? `${path}/` : "";
    if (node.kind === "group") metadata[`${prefix}.zgroup`] = zgroup();
    else metadata[`${prefix}.zarray`] = zarray(node, compressor, mode);
    metadata[`${prefix}.zattrs`] = zattrs(node);
  }
  return { zarr_consolidated_format: 1, metadata };
}
