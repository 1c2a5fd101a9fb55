/**
 * A codec, as zarrita.js has them: one module per codec, each knowing its Zarr v2 and v3
 * metadata and how to encode and decode one chunk's bytes.
 */

/** A v3 codec entry. */
export type V3Codec = { name: string; configuration: Record<string, unknown> };

/** One configured bytes-to-bytes codec (a compressor or a filter). */
export interface Codec {
  /** Its name in words and on the command line: zstd, zlib, gzip, blosc, shuffle, none. */
  readonly name: string;
  /** "name:level", as `compressorFromSpec` takes it (so a worker can rebuild it). */
  readonly spec: string;
  /** The v2 numcodecs config (`compressor` or a `filters` entry), or null for none. */
  readonly v2: Record<string, unknown> | null;
  /** The v3 codec entry, or null for none. */
  readonly v3: V3Codec | null;
  /** Encodes one chunk's bytes. */
  encode(bytes: Uint8Array): Promise<Uint8Array>;
  /** Decodes what `encode` made; `into`, when as long as the result, may receive it. */
  decode(bytes: Uint8Array, into?: (length: number) => Uint8Array): Promise<Uint8Array>;
}

/** `b` as a plain Uint8Array view (node's Buffers are subclasses). */
export const asBytes = (b: Uint8Array): Uint8Array =>
  new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
