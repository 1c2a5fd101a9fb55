/** Blosc through numcodecs.js: our lz4 compressor, and HDF5's blosc filter (32001) as stored. */
import { asBytes, type Codec } from "./codec.ts";

/** A blosc configuration as numcodecs writes it. */
export interface BloscConfig {
  cname: string;
  clevel: number;
  /** 0 noshuffle, 1 shuffle, 2 bitshuffle. */
  shuffle: number;
  /** Bytes per element the shuffle works on (numcodecs.js compresses with 1). */
  typesize: number;
}

const SHUFFLE_NAMES = ["noshuffle", "shuffle", "bitshuffle"];

// numcodecs.js' wasm is large and rarely needed: loaded on first use.
interface Blosc {
  encode(b: Uint8Array): Uint8Array | Promise<Uint8Array>;
  decode(b: Uint8Array): Uint8Array | Promise<Uint8Array>;
}
const modules = new Map<string, Promise<Blosc>>();

function blosc(config: BloscConfig): Promise<Blosc> {
  const key = JSON.stringify(config);
  const known = modules.get(key);
  if (known) return known;
  const made = import("numcodecs/blosc").then(({ default: B }): Blosc =>
    B.fromConfig({
      id: "blosc",
      blocksize: 0,
      cname: config.cname,
      clevel: config.clevel,
      shuffle: config.shuffle as 0 | 1 | 2,
    })
  );
  modules.set(key, made);
  return made;
}

/** Blosc with `config`; a blosc frame describes itself, so any frame decodes. */
export function bloscCodec(config: BloscConfig): Codec {
  return {
    name: "blosc",
    spec: `blosc:${config.clevel}`,
    v2: {
      id: "blosc",
      cname: config.cname,
      clevel: config.clevel,
      shuffle: config.shuffle,
      blocksize: 0,
    },
    v3: {
      name: "blosc",
      configuration: {
        cname: config.cname,
        clevel: config.clevel,
        shuffle: SHUFFLE_NAMES[config.shuffle] ?? "noshuffle",
        typesize: config.typesize,
        blocksize: 0,
      },
    },
    encode: async (b) => asBytes(await (await blosc(config)).encode(b)),
    decode: async (b) => asBytes(await (await blosc(config)).decode(b)),
  };
}
