/** Zarr v3 `zarr.json` documents from the model, with inline consolidated metadata. */
import { itemSize } from "../model/grid.ts";
import { walk } from "../model/tree.ts";
import type { ArrayNode, Dataset, DataType, Node } from "../model/types.ts";
import { complexParts, fillElementBytes } from "../model/values.ts";
import type { Compressor } from "../codecs/registry.ts";
import { base64, jsonFloat } from "./dtype.ts";
import { encodingOf, type PassThrough } from "./pipeline.ts";
import { v3FillAttribute } from "./fill_attr.ts";
import { scalarFields } from "./fields.ts";
import { typedAttrs } from "./attrs.ts";
import type { ArrayJson, GroupJson, V3CodecJson, V3DType } from "./metadata.ts";

export type { V3DType };

/** The v3 data type, using zarr-python 3's names for its extension types. */
export function v3DType(dtype: DataType): V3DType {
  switch (dtype.kind) {
    case "bool":
      return "bool";
    case "int":
    case "uint":
      return `${dtype.kind}${dtype.size * 8}`;
    case "float":
      return `float${dtype.size * 8}`;
    case "complex":
      return `complex${dtype.size * 8}`;
    case "string":
      return "string";
    case "bytes":
      return { name: "null_terminated_bytes", configuration: { length_bytes: dtype.size } };
    case "struct":
      return {
        name: "structured",
        configuration: {
          fields: scalarFields(dtype.fields).map((f) => [f.name, v3DType(f.type)]),
        },
      };
  }
}

/** The v3 `fill_value`: never null, so the type's zero stands in when none is declared. */
export function v3FillValue(dtype: DataType, fill: ArrayNode["fillValue"]): unknown {
  switch (dtype.kind) {
    case "bool":
      return Boolean(fill ?? false);
    case "int":
    case "uint":
      return typeof fill === "bigint" ? fill : Number(fill ?? 0);
    case "float":
      return jsonFloat(Number(fill ?? 0), dtype.size);
    case "complex": {
      const [re, im] = complexParts(fill);
      return [jsonFloat(re, dtype.size / 2), jsonFloat(im, dtype.size / 2)];
    }
    case "string":
      return typeof fill === "string" ? fill : "";
    case "bytes":
    case "struct":
      return base64(fillElementBytes(dtype, fill));
  }
}

/** How arrays are laid out in the v3 view. */
export interface V3Layout {
  compressor: Compressor;
  mode: PassThrough;
  /** The shard shape of an array, or undefined when it is not sharded. */
  shardOf(array: ArrayNode): readonly number[] | undefined;
}

/** The codecs that turn one chunk's values into bytes: `bytes` (or vlen-utf8), then the compressor. */
export function chunkCodecs(
  array: ArrayNode,
  compressor: Compressor,
  mode: PassThrough = "auto",
): V3CodecJson[] {
  const k = array.dtype.kind;
  // zarr-python 3 warns when a structured type with multi-byte fields has no endian.
  const endian = k === "int" || k === "uint" || k === "float" || k === "complex" ||
    k === "struct";
  const codecs: V3CodecJson[] = k === "string" ? [{ name: "vlen-utf8", configuration: {} }] : [{
    name: "bytes",
    configuration: endian && itemSize(array.dtype) > 1 ? { endian: "little" } : {},
  }];
  return [...codecs, ...encodingOf(array, compressor, mode).v3];
}

function arrayDoc(array: ArrayNode, layout: V3Layout): ArrayJson {
  const inner = chunkCodecs(array, layout.compressor, layout.mode);
  const shard = layout.shardOf(array);
  const codecs = shard
    ? [{
      name: "sharding_indexed",
      configuration: {
        chunk_shape: array.chunks,
        codecs: inner,
        index_codecs: [{ name: "bytes", configuration: { endian: "little" } }],
        index_location: "end",
      },
    }]
    : inner;
  // A source's own `_FillValue` attribute is never passed on: xarray would decode it with its
  // v3 coder and refuse the dataset; the fill value alone says it, encoded as xarray expects.
  const { _ARRAY_DIMENSIONS: _, _FillValue: __, ...attrs } = array.attrs;
  const fill = v3FillAttribute(array.dtype, array.fillValue);
  const typed = typedAttrs(array, attrs);
  const attributes = fill === undefined ? typed : { ...typed, _FillValue: fill };
  return {
    zarr_format: 3,
    node_type: "array",
    shape: array.shape,
    data_type: v3DType(array.dtype),
    chunk_grid: { name: "regular", configuration: { chunk_shape: shard ?? array.chunks } },
    chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
    fill_value: v3FillValue(array.dtype, array.fillValue),
    codecs,
    attributes,
    dimension_names: array.dims,
  };
}

/**
 * The `zarr.json` of the node at `path`; the root group carries every other
 * node inline under `consolidated_metadata`, as zarr-python 3 writes it.
 */
export function zarrJson(
  dataset: Dataset,
  path: string,
  node: Node,
  layout: V3Layout,
): ArrayJson | GroupJson {
  if (node.kind === "array") return arrayDoc(node, layout);
  const doc: GroupJson = {
    zarr_format: 3,
    node_type: "group",
    attributes: typedAttrs(node),
  };
  if (path !== "") return doc;
  const metadata: Record<string, ArrayJson | GroupJson> = {};
  for (const [p, n] of walk(dataset.root)) {
    if (p === "") continue;
    if (n.kind === "group") {
      metadata[p] = { zarr_format: 3, node_type: "group", attributes: typedAttrs(n) };
    } else metadata[p] = arrayDoc(n, layout);
  }
  return { ...doc, consolidated_metadata: { kind: "inline", must_understand: false, metadata } };
}
