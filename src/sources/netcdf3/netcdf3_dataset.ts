/**
 * netCDF-3 files (classic, 64-bit offset, CDF-5) as datasets, read lazily:
 * opening reads the header only; chunks are read from their byte ranges,
 * record variables gathered record by record, and served little-endian.
 */
import { VersionChangedError } from "../bytes/version.ts";
import { basename, extname } from "node:path";
import { autoChunks, extractBlock, product } from "../../model/grid.ts";
import type { ArrayNode, Dataset, Node } from "../../model/types.ts";
import { chunkReader } from "../../model/region.ts";
import { fixedText } from "../../model/elements.ts";
import type { DimensionProbe } from "../probe.ts";
import type { FileReader } from "../bytes/file_reader.ts";
import type { ByteSource } from "../bytes/source.ts";
import { sourceFor } from "../bytes/source_for.ts";
import { type OpenedFile, openVersion } from "../bytes/opened.ts";
import { type Nc3Header, NC_TYPE, readHeader } from "./header.ts";
import { attributes, MODEL, swap, toFill } from "./nc3_values.ts";

/** Options for opening one netCDF-3 file. */
export interface Netcdf3Options {
  /** The store name; default: the file name without its extension. */
  name?: string;
  /** Target bytes per chunk. */
  chunkBytes?: number;
}

/** How records are laid out: where record `r` of a variable starts is `begin + r * size`. */
interface Records {
  count: number;
  size: number;
}

/** The number of records and the record size, checked against the file's length. */
function records(h: Nc3Header, fileSize: number, warn: (m: string) => void): Records {
  const recordVars = h.vars.filter((v) => v.dimIds.length && h.dims[v.dimIds[0]].unlimited);
  const slab = (v: Nc3Header["vars"][number]) =>
    product(v.dimIds.slice(1).map((d) => h.dims[d].length)) * NC_TYPE[v.type].size;
  // One record variable is stored unpadded; several are each padded to 4 bytes.
  const size = recordVars.length === 1
    ? slab(recordVars[0])
    : recordVars.reduce((n, v) => n + ((slab(v) + 3) & ~3), 0);
  if (recordVars.length === 0 || size === 0) return { count: Math.max(h.numrecs, 0), size };
  const first = Math.min(...recordVars.map((v) => v.begin));
  const fits = Math.max(0, Math.floor((fileSize - first) / size));
  if (h.numrecs === -1) return { count: fits, size };
  if (h.numrecs > fits) {
    warn(`the header says ${h.numrecs} records, but the file holds ${fits}: serving ${fits}`);
    return { count: fits, size };
  }
  return { count: h.numrecs, size };
}

const thousands = (n: number) => n.toLocaleString("en-US");

/** Where the file should end: after the last fixed variable and the records the header counts. */
function expectedEnd(h: Nc3Header, recs: Records): number {
  let end = h.size;
  const records = h.numrecs === -1 ? recs.count : h.numrecs;
  for (const v of h.vars) {
    const isRecord = v.dimIds.length > 0 && h.dims[v.dimIds[0]].unlimited;
    const dims = v.dimIds.slice(isRecord ? 1 : 0).map((d) => h.dims[d].length);
    const bytes = product(dims) * NC_TYPE[v.type].size;
    end = Math.max(end, isRecord ? v.begin + (records - 1) * recs.size + bytes : v.begin + bytes);
  }
  return end;
}

/** The file a location names, opened once (its one source, version and block cache). */
function opened(location: string | ByteSource | OpenedFile): Promise<OpenedFile> {
  if (typeof location === "string") return openVersion(sourceFor(location), undefined, location);
  return "version" in location ? Promise.resolve(location) : openVersion(location);
}

/** Opens a netCDF-3 file (a path, a URL or a byte source) as a dataset; errors name the file. */
export async function openNetcdf3(
  location: string | ByteSource | OpenedFile,
  options: Netcdf3Options = {},
): Promise<Dataset> {
  const source = typeof location === "string"
    ? sourceFor(location)
    : "version" in location
    ? location.source
    : location;
  const name = options.name ?? basename(source.name, extname(source.name));
  let file: OpenedFile | undefined;
  try {
    file = await opened(
      typeof location === "string" ? location : "version" in location ? location : source,
    );
    const { version, size } = file;
    // The header is read through the block cache: one or two reads, even from far away. The
    // file is not held open after: an aggregation of thousands opens each as it is read.
    const h = await readHeader(file.cached.read, size);
    const warnings: string[] = [];
    const recs = records(h, size, (m) => warnings.push(`/: ${m}`));
    const end = expectedEnd(h, recs);
    if (end > size) {
      warnings.unshift(`/: truncated: ${thousands(size)} of ${thousands(end)} bytes`);
    }
    let reader: Promise<FileReader> | undefined;
    const open = () => (reader ??= source.reader(version));
    const statSize = size;
    const children = new Map<string, Node>();
    for (const v of h.vars) {
      const shape = v.dimIds.map((d) => (h.dims[d].unlimited ? recs.count : h.dims[d].length));
      const isRecord = v.dimIds.length > 0 && h.dims[v.dimIds[0]].unlimited;
      const elem = NC_TYPE[v.type].size;
      const bytes = product(isRecord ? shape.slice(1) : shape) * elem;
      const end = v.begin + (isRecord ? 0 : bytes);
      // (record variables of a file with no records have no data at all)
      if ((!isRecord || recs.count > 0) && (v.begin > statSize || end > statSize)) {
        warnings.push(
          `/${v.name}: left out: its data (bytes ${v.begin}..${end}) lies past the end of the file (${statSize} bytes)`,
        );
        continue;
      }
      const dims = v.dimIds.map((d) => h.dims[d].name);
      children.set(
        v.name,
        variable(v, shape, dims, isRecord, recs, open, options.chunkBytes ?? 4 << 20),
      );
    }
    return {
      name,
      root: { kind: "group", ...attributes(h.attrs), children },
      version,
      source: source.path ?? source.name,
      warnings,
      async close() {
        if (reader) await (await reader).close();
      },
    };
  } catch (e) {
    if (e instanceof VersionChangedError) throw e; // replaced while opening: open it again
    throw new Error(`${source.name}: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await file?.close();
  }
}

/** Bytes of one leading index (one record, or one row) when read whole and in one piece. */
const ONE_READ = 16 << 20;

function variable(
  v: Nc3Header["vars"][number],
  shape: number[],
  dims: string[],
  isRecord: boolean,
  recs: Records,
  open: () => Promise<FileReader>,
  chunkBytes: number,
): ArrayNode {
  const dtype = MODEL[v.type];
  const elem = NC_TYPE[v.type].size;
  const fillAttr = v.attrs.find((a) => a.name === "_FillValue" && a.type === v.type);
  const fillValue = fillAttr ? toFill(dtype, fillAttr) : null;
  const chunks = autoChunks(shape, elem, chunkBytes);
  const inner = shape.slice(1);
  const slab = product(inner) * elem;
  // Where leading index i starts: records are interleaved with the other record variables.
  const stride = isRecord ? recs.size : slab;
  const readRegion = async (
    start: readonly number[],
    count: readonly number[],
  ): Promise<Uint8Array> => {
    const file = await open();
    if (shape.length === 0) return swap(await file.read(v.begin, elem), elem);
    if (product(count) === 0) return new Uint8Array(0);
    const n = count[0];
    const whole = count.slice(1).every((c, d) => c === inner[d]);
    if (stride === slab && whole) {
      return swap(await file.read(v.begin + start[0] * slab, n * slab), elem);
    }
    // Within one leading index, read the rows of the next axis that the region covers.
    const rowBytes = inner.length ? product(inner.slice(1)) * elem : elem;
    const first = inner.length ? start[1] * rowBytes : 0;
    const length = inner.length ? count[1] * rowBytes : elem;
    const local = inner.length ? [count[1], ...inner.slice(1)] : [];
    const at = inner.length ? [0, ...start.slice(2)] : [];
    const per = product(count.slice(1)) * elem;
    const out = new Uint8Array(n * per);
    const put = (bytes: Uint8Array, r: number) =>
      out.set(local.length ? extractBlock(bytes, local, at, count.slice(1), elem) : bytes, r * per);
    if (n * stride <= ONE_READ) {
      // small records: one read over all of them beats thousands of tiny ones
      const span = await file.read(v.begin + start[0] * stride, (n - 1) * stride + first + length);
      for (let r = 0; r < n; r++) {
        put(span.subarray(r * stride + first, r * stride + first + length), r);
      }
    } else {
      for (let r0 = 0; r0 < n; r0 += 256) {
        const batch = Array.from(
          { length: Math.min(256, n - r0) },
          (_, k) => file.read(v.begin + (start[0] + r0 + k) * stride + first, length),
        );
        (await Promise.all(batch)).forEach((bytes, k) => put(bytes, r0 + k));
      }
    }
    return swap(out, elem);
  };
  return {
    kind: "array",
    shape,
    chunks,
    dtype,
    dims,
    ...attributes(v.attrs),
    fillValue,
    readRegion,
    readChunk: chunkReader(readRegion, dtype, shape, chunks, fillValue),
  };
}

/** The dimensions of a netCDF-3 file (lengths, the unlimited one, coordinate units). */
export async function probeNetcdf3(
  location: string | ByteSource | OpenedFile,
): Promise<Map<string, DimensionProbe>> {
  const name = typeof location === "string"
    ? location
    : ("version" in location ? location.source : location).name;
  const file = await opened(location).catch((e) => {
    throw new Error(`${name}: ${(e as Error).message}`);
  });
  const { source, size } = file;
  try {
    const h = await readHeader(file.cached.read, size);
    const recs = records(h, size, () => {});
    const out = new Map<string, DimensionProbe>();
    for (const d of h.dims) {
      const coord = h.vars.find((v) => v.name === d.name && v.dimIds.length === 1);
      const units = coord?.attrs.find((a) => a.name === "units" && a.type === 2);
      out.set(d.name, {
        length: d.unlimited ? recs.count : d.length,
        unlimited: d.unlimited,
        units: units ? fixedText(units.bytes) : undefined,
      });
    }
    return out;
  } catch (e) {
    throw new Error(`${source.name}: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await file.close();
  }
}
