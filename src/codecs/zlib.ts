/** zlib (deflate with a zlib header): numcodecs' `zlib`, HDF5's deflate filter. */
import zlib from "node:zlib";
import { promisify } from "node:util";
import { asBytes, type Codec } from "./codec.ts";

const deflate = promisify(zlib.deflate);
const inflate = promisify(zlib.inflate);

/** zlib at `level`, on node:zlib's thread pool. */
export function zlibCodec(level = 1): Codec {
  return {
    name: "zlib",
    spec: `zlib:${level}`,
    v2: { id: "zlib", level },
    v3: { name: "numcodecs.zlib", configuration: { level } },
    encode: async (b) => asBytes(await deflate(b, { level })),
    decode: async (b) => asBytes(await inflate(b)),
  };
}
