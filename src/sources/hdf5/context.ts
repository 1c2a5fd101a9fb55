/** What reading one HDF5 file shares across its groups and datasets. */
import type { DimensionPlanner } from "./dims.ts";
import type { FileReader } from "../bytes/file_reader.ts";
import type { H5File, H5Module } from "./module.ts";
import type { StoredAttributeReader } from "./attrs.ts";

/** The state of one file being opened. */
export interface Context {
  m: H5Module;
  warn: (message: string) => void;
  /** Names every dataset's dims once the whole file has been read. */
  dims: DimensionPlanner;
  chunkBytes: number;
  path: string;
  /** The file's location for references: its URL (without credentials) or absolute path. */
  url: string;
  fileSize: number;
  /** The file's version when opened (inode, mtime, size): reads of another version fail. */
  version: string;
  /** The h5wasm handle of this version (from an LRU: do not keep it). */
  handle: () => H5File;
  /** Throws the error to answer with when the file changed under a read (or failed). */
  verify: () => void;
  /** Positional reads of the file itself, opened on first use. */
  reader: () => Promise<FileReader>;
  /** Attribute values read from the file, for h5wasm's blind spots; awaited before the dataset is ready. */
  stored: { read: StoredAttributeReader; pending: Promise<void>[] };
}
