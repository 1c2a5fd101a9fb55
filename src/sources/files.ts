/**
 * One way in for files: the first bytes pick the reader (HDF5 and netCDF-4,
 * or netCDF-3 classic, 64-bit offset and CDF-5). Any other format is named in one line.
 */
import type { Dataset } from "../model/types.ts";
import { openHdf5, probeDimensions } from "./hdf5/hdf5_dataset.ts";
import { openNetcdf3, probeNetcdf3 } from "./netcdf3/netcdf3_dataset.ts";
import type { DimensionProbe } from "./probe.ts";
import { sourceFor, type SourceOptions } from "./bytes/source_for.ts";
import { isRemote, locationBase } from "./bytes/source.ts";
import { fileVersion, VersionChangedError } from "./bytes/version.ts";
import { type OpenedFile, openVersion } from "./bytes/opened.ts";

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

/**
 * The file at `location`, opened once: one source, one version, one block cache, whose first
 * block holds the signature (and, for netCDF-3 and most netCDF-4 files, the whole header).
 */
async function openLocation(
  location: string,
  options?: SourceOptions,
): Promise<{ file: OpenedFile; format: FileFormat }> {
  const source = sourceFor(location, options);
  let file: OpenedFile;
  try {
    file = await openVersion(source, options, location);
  } catch (e) {
    const shown = isRemote(location) ? source.name : location;
    const message = (e as Error).message;
    // Sources name the file in their own errors (a 403 from S3); say it once.
    if (e instanceof VersionChangedError || message.startsWith(`${source.name}:`)) throw e;
    throw new Error(`${shown}: ${message}`);
  }
  try {
    return { file, format: formatOf(await file.cached.read(0, Math.min(4, file.size))) };
  } catch (e) {
    await file.close();
    throw e;
  }
}

/** The format of the file at `location`, from its signature; throws one line for anything else. */
export async function fileFormat(location: string): Promise<FileFormat> {
  const { file, format } = await openLocation(location);
  await file.close();
  return format;
}

/** Opens a netCDF-3, netCDF-4 or HDF5 file (a path or a URL) as a dataset; errors name it. */
export async function openFile(location: string, options: FileOptions = {}): Promise<Dataset> {
  const { file, format } = await openLocation(location, options.remote);
  const name = options.name ?? locationBase(location).replace(/\.[^.]*$/, "");
  const opts = { ...options, name };
  return format === "netcdf3" ? openNetcdf3(file, opts) : openHdf5(file, opts);
}

/** The root dimensions of a file of any supported format, reading metadata only. */
export async function probeFile(
  location: string,
  remoteOptions?: SourceOptions,
): Promise<Map<string, DimensionProbe>> {
  const { file, format } = await openLocation(location, remoteOptions);
  return format === "netcdf3" ? probeNetcdf3(file) : probeDimensions(file, remoteOptions);
}

/** The current version of the file at `location` (null when gone): what live datasets watch. */
export async function locationVersion(
  location: string,
  remoteOptions?: SourceOptions,
): Promise<string | null> {
  if (!isRemote(location)) return fileVersion(location);
  return (await sourceFor(location, remoteOptions).stat())?.version ?? null;
}
