/**
 * The Zarr metadata documents, typed (as zarrita.js types them): v2 `.zgroup`, `.zarray`,
 * `.zmetadata`, and v3 `zarr.json` of groups and arrays.
 */
import type { V2DType } from "./dtype.ts";

/** A v3 `data_type`: a core name, or a named extension with configuration. */
export type V3DType = string | { name: string; configuration: Record<string, unknown> };

/** A v2 `.zgroup`. */
export interface ZGroup {
  zarr_format: 2;
}

/** A v2 `.zarray`. */
export interface ZArray {
  zarr_format: 2;
  shape: readonly number[];
  chunks: readonly number[];
  dtype: V2DType;
  /** The numcodecs config of the compressor, or null. */
  compressor: Record<string, unknown> | null;
  /** Encoded as zarr-python 2 writes it; null when the source declares none. */
  fill_value: unknown;
  order: "C";
  filters: Record<string, unknown>[] | null;
  dimension_separator: ".";
}

/** A v2 `.zattrs`: the attributes, with xarray's `_ARRAY_DIMENSIONS` on arrays. */
export type ZAttrs = Record<string, unknown>;

/** A v2 `.zmetadata` (consolidated metadata). */
export interface ZMetadata {
  zarr_consolidated_format: 1;
  metadata: Record<string, ZGroup | ZArray | ZAttrs>;
}

/** A v3 codec entry. */
export interface V3CodecJson {
  name: string;
  configuration?: Record<string, unknown>;
}

/** A v3 array's `zarr.json`. */
export interface ArrayJson {
  zarr_format: 3;
  node_type: "array";
  shape: readonly number[];
  data_type: V3DType;
  chunk_grid: { name: "regular"; configuration: { chunk_shape: readonly number[] } };
  chunk_key_encoding: { name: "default"; configuration: { separator: "/" } };
  /** Never null in v3. */
  fill_value: unknown;
  codecs: V3CodecJson[];
  attributes: Record<string, unknown>;
  dimension_names: readonly string[];
}

/** A v3 group's `zarr.json`; the root's carries every other node inline. */
export interface GroupJson {
  zarr_format: 3;
  node_type: "group";
  attributes: Record<string, unknown>;
  consolidated_metadata?: {
    kind: "inline";
    must_understand: false;
    metadata: Record<string, ArrayJson | GroupJson>;
  };
}
