/**
 * One way in for files: the first bytes pick the reader (HDF5 and netCDF-4,
 * or netCDF-3 classic, 64-bit offset and CDF-5). Any other format is named in one line.
 */
import type { Dataset } from "../model/types.ts";
import { openHdf5, probeDimensions } from "./hdf5/hdf5_dataset.ts";
import { openNetcdf3, probeNetcdf3 } from "./netcdf3/netcdf3_dataset.ts";
import type { DimensionProbe } from "./probe.ts";
import { blockSizeOf, sourceFor, type SourceOptions } from "./bytes/source_for.ts";
import { blockCached } from "./bytes/block_cache.ts";
import { type ByteSource, isRemote, locationBase } from "./bytes/source.ts";
import { fileVersion } from "./bytes/version.ts";

/** Options for opening a file of any supported format. */
export interface FileOptions {
  /** The store name; default: the file name without its extension. */
  name?: string;
  /** Target bytes per chunk where the file does not chunk its data. */
  chunkBytes?: number;
  /** How remote files are reached (default: the process-wide settings). */
  remote?: SourceOptions;
}

/** The formats read here. */
export type FileFormat = "hdf5" | "netcdf3";

function formatOf(head: Uint8Array): FileFormat {
  const cdf = head.length === 4 && head[0] === 0x43 && head[1] === 0x44 && head[2] === 0x46;
  // Anything else goes to the HDF5 reader, whose check finds a superblock after a user
  // block and names other formats ("an HDF4 file: not supported").
  return cdf && [1, 2, 5].includes(head[3]) ? "netcdf3" : "hdf5";
}

/** A remote file's source, its state and format, from two requests. */
async function remote(
  location: string,
  options?: SourceOptions,
): Promise<{ source: ByteSource; format: FileFormat }> {
  const source = sourceFor(location, options);
  const stat = await source.stat();
  if (!stat) throw new Error(`${source.name}: no such file (404)`);
  // The signature is read through a block cache that the opener's first reader reuses: the
  // header comes with it (metadata sits at the front of netCDF-3 files).
  const cached = blockCached(await source.reader(stat.version), stat.size, {
    blockSize: blockSizeOf(options),
  });
  const head = await cached.read(0, Math.min(4, stat.size));
  let firstStat = true, firstReader = true;
  const known: ByteSource = {
    ...source,
    stat: () => (firstStat ? (firstStat = false, Promise.resolve(stat)) : source.stat()),
    reader: (version) =>
      firstReader && version === stat.version
        ? (firstReader = false, Promise.resolve(cached))
        : source.reader(version),
  };
  return { source: known, format: formatOf(head) };
}

/** The format of the file at `location`, from its signature; throws one line for anything else. */
export async function fileFormat(location: string): Promise<FileFormat> {
  if (isRemote(location)) return (await remote(location)).format;
  let file;
  try {
    file = await Deno.open(location, { read: true });
  } catch (e) {
    throw new Error(
      `${location}: ${e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message}`,
    );
  }
  try {
    const head = new Uint8Array(4);
    const n = await file.read(head) ?? 0;
    return formatOf(head.subarray(0, n));
  } finally {
    file.close();
  }
}

/** Opens a netCDF-3, netCDF-4 or HDF5 file (a path or a URL) as a dataset; errors name it. */
export async function openFile(location: string, options: FileOptions = {}): Promise<Dataset> {
  if (isRemote(location)) {
    const { source, format } = await remote(location, options.remote);
    const name = options.name ?? locationBase(location).replace(/\.[^.]*$/, "");
    return format === "netcdf3"
      ? openNetcdf3(source, { ...options, name })
      : openHdf5(location, { ...options, name, source });
  }
  return (await fileFormat(location)) === "netcdf3"
    ? openNetcdf3(location, options)
    : openHdf5(location, options);
}

/** The root dimensions of a file of any supported format, reading metadata only. */
export async function probeFile(
  location: string,
  remoteOptions?: SourceOptions,
): Promise<Map<string, DimensionProbe>> {
  if (isRemote(location)) {
    const { source, format } = await remote(location, remoteOptions);
    return format === "netcdf3"
      ? probeNetcdf3(source)
      : probeDimensions(location, source, remoteOptions);
  }
  return (await fileFormat(location)) === "netcdf3"
    ? probeNetcdf3(location)
    : probeDimensions(location);
}

/** The current version of the file at `location` (null when gone): what live datasets watch. */
export async function locationVersion(
  location: string,
  remoteOptions?: SourceOptions,
): Promise<string | null> {
  if (!isRemote(location)) return fileVersion(location);
  return (await sourceFor(location, remoteOptions).stat())?.version ?? null;
}
