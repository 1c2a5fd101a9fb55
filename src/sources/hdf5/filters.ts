/**
 * HDF5 filter pipelines: which filters h5wasm can undo, their names in words,
 * and the Zarr codecs equal to a pipeline when stored bytes can be used as they are.
 */
import type { Filter } from "h5wasm/node";
import type { StoredCodec } from "../../model/types.ts";

// Registered filter ids (HDF Group's list), so a missing one is named in words.
const NAMES: Record<number, string> = {
  1: "deflate",
  2: "shuffle",
  3: "fletcher32",
  4: "szip",
  5: "nbit",
  6: "scaleoffset",
  305: "lzo",
  307: "bzip2",
  32000: "lzf",
  32001: "blosc",
  32002: "mafisc",
  32003: "snappy",
  32004: "lz4",
  32005: "apax",
  32006: "cbf",
  32007: "jpeg-xr",
  32008: "bitshuffle",
  32009: "spdp",
  32010: "lpc-rice",
  32011: "ccsds-123",
  32012: "jpeg-ls",
  32013: "zfp",
  32014: "fpzip",
  32015: "zstd",
  32016: "b3d",
  32017: "sz",
  32018: "fcidecomp",
  32019: "jpeg",
  32020: "vbz",
  32022: "bitgroom",
  32023: "bitround",
  32024: "sz3",
  32025: "delta-rice",
  32026: "blosc2",
};

// Compiled into h5wasm's libhdf5, or shipped by h5wasm-plugins (loaded in module.ts).
const READABLE = new Set([
  1,
  2,
  3,
  4,
  5,
  6,
  307,
  32000,
  32001,
  32004,
  32008,
  32013,
  32015,
  32019,
  32022,
  32023,
  32026,
]);

const ID = { deflate: 1, shuffle: 2, blosc: 32001, zstd: 32015 };
const BLOSC_CNAMES = ["blosclz", "lz4", "lz4hc", "snappy", "zlib", "zstd"];

/** A filter in words: "lzo filter (id 305)". */
export function filterName(f: Filter): string {
  const name = NAMES[f.id] ?? (f.name && !/^\s*$/.test(f.name) ? f.name.trim() : "unknown");
  return `${name} filter (id ${f.id})`;
}

/** The filters of a pipeline that nothing here can undo. */
export function missingFilters(filters: readonly Filter[]): Filter[] {
  return filters.filter((f) => !READABLE.has(f.id));
}

/**
 * The Zarr codecs equal to an HDF5 pipeline (applied in this order when
 * writing), or undefined when some filter has no Zarr equivalent.
 */
export function storedCodecs(
  filters: readonly Filter[],
  elementSize: number,
): StoredCodec[] | undefined {
  const codecs: StoredCodec[] = [];
  for (const f of filters) {
    const cd = f.cd_values;
    if (f.id === ID.shuffle) codecs.push({ id: "shuffle", elementSize });
    else if (f.id === ID.deflate) codecs.push({ id: "zlib", level: cd[0] ?? 6 });
    else if (f.id === ID.zstd) codecs.push({ id: "zstd", level: cd[0] ?? 3 });
    else if (f.id === ID.blosc && cd.length >= 7 && BLOSC_CNAMES[cd[6]]) {
      // A blosc frame describes itself (type size, shuffle): numcodecs decodes it as it is.
      codecs.push({
        id: "blosc",
        cname: BLOSC_CNAMES[cd[6]],
        clevel: cd[4],
        shuffle: cd[5],
        typesize: cd[2] || elementSize,
      });
    } else return undefined; // fletcher32, szip, nbit, scaleoffset, lzf, lz4, bzip2, ...
  }
  return codecs;
}
