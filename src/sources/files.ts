/**
 * One way in for files: the first bytes pick the reader (HDF5 and netCDF-4,
 * or netCDF-3 classic, 64-bit offset and CDF-5). Any other format is named in one line.
 */
import type { Dataset } from "../model/types.ts";
import { openHdf5, probeDimensions } from "./hdf5/open.ts";
import { openNetcdf3, probeNetcdf3 } from "./netcdf3/open.ts";
import type { DimensionProbe } from "./probe.ts";

/** Options for opening a file of any supported format. */
export interface FileOptions {
  /** The store name; default: the file name without its extension. */
  name?: string;
  /** Target bytes per chunk where the file does not chunk its data. */
  chunkBytes?: number;
}

/** The formats read here. */
export type FileFormat = "hdf5" | "netcdf3";

/** The format of the file at `path`, from its signature; throws one line for anything else. */
export async function fileFormat(path: string): Promise<FileFormat> {
  let file;
  try {
    file = await Deno.open(path, { read: true });
  } catch (e) {
    throw new Error(
      `${path}: ${e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message}`,
    );
  }
  try {
    const head = new Uint8Array(4);
    const n = await file.read(head) ?? 0;
    const cdf = n === 4 && head[0] === 0x43 && head[1] === 0x44 && head[2] === 0x46;
    // Anything else goes to the HDF5 reader, whose check finds a superblock after a user
    // block and names other formats ("an HDF4 file: not supported").
    return cdf && [1, 2, 5].includes(head[3]) ? "netcdf3" : "hdf5";
  } finally {
    file.close();
  }
}

/** Opens a netCDF-3, netCDF-4 or HDF5 file as a dataset; throws one line that names the file. */
export async function openFile(path: string, options: FileOptions = {}): Promise<Dataset> {
  return (await fileFormat(path)) === "netcdf3"
    ? openNetcdf3(path, options)
    : openHdf5(path, options);
}

/** The root dimensions of a file of any supported format, reading metadata only. */
export async function probeFile(path: string): Promise<Map<string, DimensionProbe>> {
  return (await fileFormat(path)) === "netcdf3" ? probeNetcdf3(path) : probeDimensions(path);
}
