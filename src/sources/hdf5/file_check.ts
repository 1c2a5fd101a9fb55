/** Whether a file is an HDF5 file we can read whole: signature, superblock, length. */
import { type FileReader, fileReader } from "../bytes/file_reader.ts";
import { HDF5_SIGNATURE, readSuperblock } from "./superblock.ts";

const HDF4 = [0x0e, 0x03, 0x13, 0x01];

/** What a file's first bytes say it is, when it is not HDF5. */
function otherFormat(first: Uint8Array): string {
  const starts = (sig: number[]) => sig.every((b, i) => first[i] === b);
  if (starts([0x43, 0x44, 0x46]) && [1, 2, 5].includes(first[3])) {
    const kind = { 1: "classic", 2: "64-bit offset", 5: "CDF-5" }[first[3]];
    return `a netCDF-3 (${kind}) file, not HDF5: open it with openFile or openNetcdf3`;
  }
  if (starts(HDF4)) return "an HDF4 file: not supported";
  if (first.length === 0) return "an empty file";
  return "not a netCDF or HDF5 file (no known signature)";
}

const thousands = (n: number) => n.toLocaleString("en-US");

/**
 * Throws a one-line error unless `path` holds an HDF5 superblock and is as
 * long as its writer said ("truncated: 30,000 of 49,583 bytes").
 */
export async function checkHdf5File(path: string): Promise<void> {
  const file = await fileReader(path);
  try {
    await checkHdf5Bytes(file, (await Deno.stat(path)).size);
  } finally {
    await file.close();
  }
}

/** `checkHdf5File` over any reader of a file of `size` bytes (a remote one too). */
export async function checkHdf5Bytes(file: FileReader, size: number): Promise<void> {
  const first = await file.read(0, Math.min(8, size));
  let sb;
  try {
    sb = await readSuperblock(file, size);
  } catch {
    throw new Error(
      HDF5_SIGNATURE.every((b, i) => first[i] === b) ? "damaged superblock" : otherFormat(first),
    );
  }
  if (sb.end > size) {
    throw new Error(`truncated: ${thousands(size)} of ${thousands(sb.end)} bytes`);
  }
}
