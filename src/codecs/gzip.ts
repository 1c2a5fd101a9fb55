/** gzip: numcodecs' `gzip`, the v3 core `gzip`. */
import zlib from "node:zlib";
import { promisify } from "node:util";
import { asBytes, type Codec } from "./codec.ts";

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

/** gzip at `level`, on node:zlib's thread pool. */
export function gzipCodec(level = 1): Codec {
  return {
    name: "gzip",
    spec: `gzip:${level}`,
    v2: { id: "gzip", level },
    v3: { name: "gzip", configuration: { level } },
    encode: async (b) => asBytes(await gzip(b, { level })),
    decode: async (b) => asBytes(await gunzip(b)),
  };
}
