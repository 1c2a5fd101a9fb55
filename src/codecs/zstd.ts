/** Zstandard: numcodecs' `zstd`, the v3 `zstd`, HDF5's filter 32015. */
import zlib from "node:zlib";
import { promisify } from "node:util";
import { asBytes, type Codec } from "./codec.ts";

const compress = promisify(zlib.zstdCompress);
const decompress = promisify(zlib.zstdDecompress);

/** zstd at `level`, on node:zlib's thread pool. */
export function zstdCodec(level = 1): Codec {
  return {
    name: "zstd",
    spec: `zstd:${level}`,
    v2: { id: "zstd", level },
    v3: { name: "zstd", configuration: { level, checksum: false } },
    encode: async (b) =>
      asBytes(
        // numcodecs reads the content size from the frame header; a stream writes it only when
        // pledged.
        await compress(b, {
          pledgedSrcSize: b.length,
          params: { [zlib.constants.ZSTD_c_compressionLevel]: level },
        } as zlib.ZstdOptions),
      ),
    decode: async (b) => asBytes(await decompress(b)),
  };
}
