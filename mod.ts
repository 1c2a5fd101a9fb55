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
  StoredChunks,
  StoredCodec,
  StoredSpan,
  StructField,
} from "./src/model/types.ts";
export { MissingChunkError, UnavailableError } from "./src/model/types.ts";
export {
  DEFAULT_CHECK_MS,
  type Lease,
  live,
  type LiveDataset,
  liveFile,
  type LiveFileOptions,
  type LiveSpec,
} from "./src/sources/live.ts";
export {
  DATA_EXTENSIONS,
  type DirectoryOptions,
  type LiveCollection,
  liveDirectory,
} from "./src/sources/directory.ts";
export { type Hdf5Options, openHdf5 } from "./src/sources/hdf5/hdf5_dataset.ts";
export { type Netcdf3Options, openNetcdf3 } from "./src/sources/netcdf3/netcdf3_dataset.ts";
export {
  type FileFormat,
  fileFormat,
  type FileOptions,
  locationVersion,
  openFile,
} from "./src/sources/files.ts";
export type { ByteSource, SourceStat } from "./src/sources/bytes/source.ts";
export {
  setSourceDefaults,
  sourceFor,
  type SourceOptions,
} from "./src/sources/bytes/source_for.ts";
export { listS3, type S3Options, s3Source } from "./src/sources/bytes/s3.ts";
export { type HttpOptions, httpSource, type TransferStats } from "./src/sources/bytes/http.ts";
export { blockCached, type BlockCacheOptions } from "./src/sources/bytes/block_cache.ts";
export type { FileReader } from "./src/sources/bytes/file_reader.ts";
export { type OpenedFile, openVersion } from "./src/sources/bytes/opened.ts";
export {
  memoryDataset,
  type MemoryGroup,
  type MemoryVariable,
} from "./src/sources/virtual/memory.ts";
export { aggregate, type AggregateOptions } from "./src/sources/virtual/aggregate.ts";
export {
  type ChunkContext,
  type ComputedVariable,
  withComputed,
} from "./src/sources/virtual/computed.ts";
export {
  template,
  type TemplateSpec,
  type TemplateVariable,
} from "./src/sources/virtual/template.ts";
export { coalesce, rechunk } from "./src/sources/virtual/rechunk.ts";
export { loadConfig, type Publication } from "./src/app/config.ts";
export type { NumericArray, TypeName } from "./src/model/values.ts";
export { demoDatasets } from "./src/sources/virtual/demo_memory.ts";
export { type DemoDataset, demoPublications, hypotheticube } from "./src/app/demo.ts";
export { type Compressor, compressorFromSpec, DEFAULT_CODEC } from "./src/codecs/registry.ts";
export {
  type ChunkOrigin,
  createStore,
  DEFAULT_CACHE_BYTES,
  DEFAULT_STREAM_BYTES,
  type KeyResult,
  type Store,
  type StoreOptions,
} from "./src/zarr/store.ts";
export type { BadKey, ChunkKey, MetaKey, NodeKey, StoreKey } from "./src/zarr/keys.ts";
export { type ByteCache, byteCache } from "./src/zarr/cache.ts";
export type { BoundedCache } from "./src/model/bounded_cache.ts";
export type { PassThrough } from "./src/zarr/pipeline.ts";
export { createTranscoder, type Transcoder } from "./src/zarr/transcoder.ts";
export {
  CHUNK_ORIGIN_HEADER,
  createHandler,
  type Handler,
  type HandlerOptions,
} from "./src/http/handler.ts";
export { type Access, OPEN, parseTokens } from "./src/http/access.ts";
export { type Failure, type OperationsOptions, withOperations } from "./src/http/operations.ts";
export { createMetrics, type Gauge, type Metrics, type Observation } from "./src/http/metrics.ts";
export type { RequestKind } from "./src/http/request_kind.ts";
export {
  type ClientView,
  clientView,
  GDAL_SHUFFLE_VERSION,
  type View,
  viewFor,
} from "./src/http/clients.ts";
export { BOTH_STRICT, type DocStyle, type Formats } from "./src/zarr/style.ts";
export type { NonFinite } from "./src/zarr/json.ts";
export {
  type Catalog,
  type Entry,
  findEntry,
  fixedCatalog,
  fixedEntry,
  joinCatalogs,
  liveEntry,
  viewOptions,
} from "./src/http/catalog.ts";
export { type Servable, serve, type ServeOptions } from "./server.ts";
export { type Http1Options, type Http1Server, serveHttp1 } from "./src/http/wire/http1_server.ts";

// Run as the main module (`deno run -A jsr:@zf/zarrflask serve ...` runs this file), it is the
// CLI; imported, it only exports.
if (import.meta.main) {
  const { main } = await import("./cli.ts");
  Deno.exit(await main(Deno.args));
}
