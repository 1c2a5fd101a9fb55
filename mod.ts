/**
 * zarrflask: publish netCDF-4/HDF5 files and datasets built in code as Zarr
 * v2 and v3 stores over HTTP, made on demand.
 *
 * @module
 */
export type {
  ArrayNode,
  Attributes,
  AttrValue,
  ChunkData,
  Dataset,
  DataType,
  FillValue,
  GroupNode,
  Node,
  StructField,
} from "./src/model/types.ts";
export { MissingChunkError } from "./src/model/types.ts";
export { type Hdf5Options, openHdf5 } from "./src/sources/hdf5.ts";
export { memoryDataset, type MemoryGroup, type MemoryVariable } from "./src/sources/memory.ts";
export { demoDatasets } from "./src/sources/demo.ts";
export { type Compressor, compressorFromSpec, DEFAULT_CODEC } from "./src/zarr/codecs.ts";
export { createStore, type KeyResult, type Store, type StoreOptions } from "./src/zarr/store.ts";
export { createHandler, type Handler } from "./src/http/handler.ts";
export { serve, type ServeOptions } from "./server.ts";
