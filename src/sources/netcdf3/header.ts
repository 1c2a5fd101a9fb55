/**
 * The header of a netCDF-3 file (classic, 64-bit offset, CDF-5), as Unidata's
 * "NetCDF Classic and 64-bit Offset Format" and the CDF-5 addendum lay it
 * out: big-endian, every count checked against the bytes that remain, so a
 * corrupt header is an error in one line, never a huge allocation.
 */

/** netCDF-3 external types by their header code. */
export const NC_TYPE = {
  1: { name: "byte", size: 1 },
  2: { name: "char", size: 1 },
  3: { name: "short", size: 2 },
  4: { name: "int", size: 4 },
  5: { name: "float", size: 4 },
  6: { name: "double", size: 8 },
  7: { name: "ubyte", size: 1 },
  8: { name: "ushort", size: 2 },
  9: { name: "uint", size: 4 },
  10: { name: "int64", size: 8 },
  11: { name: "uint64", size: 8 },
} as const;

/** A header type code. */
export type NcType = keyof typeof NC_TYPE;

/** An attribute as stored: its type and raw big-endian values (or text). */
export interface Nc3Attribute {
  name: string;
  type: NcType;
  /** Big-endian values, `count` of them. */
  bytes: Uint8Array;
  count: number;
}

/** A dimension; the record dimension has `length` = the number of records. */
export interface Nc3Dimension {
  name: string;
  length: number;
  unlimited: boolean;
}

/** A variable: dims by index, type, and where its data begins. */
export interface Nc3Variable {
  name: string;
  dimIds: number[];
  attrs: Nc3Attribute[];
  type: NcType;
  /** The header's vsize (may be clipped for huge variables; recomputed by the reader). */
  vsize: number;
  /** File offset of its data (of its first record, for record variables). */
  begin: number;
}

/** A parsed header. */
export interface Nc3Header {
  /** 1 classic, 2 64-bit offset, 5 CDF-5. */
  version: 1 | 2 | 5;
  /** Records as the header says; -1 for the streaming value (count them from the file size). */
  numrecs: number;
  dims: Nc3Dimension[];
  attrs: Nc3Attribute[];
  vars: Nc3Variable[];
  /** Bytes the header occupies. */
  size: number;
}

const TAG = { dimension: 0x0a, variable: 0x0b, attribute: 0x0c };

/** Thrown when the header continues past the bytes read so far. */
class NeedMore extends Error {}

/** Parses a header from its first bytes; `more` is set when `bytes` ended too soon. */
function parse(bytes: Uint8Array, fileSize: number): Nc3Header {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const need = (n: number) => {
    if (pos + n > bytes.length) {
      if (pos + n > fileSize) {
        throw new Error(`the header runs past the end of the file (${fileSize} bytes)`);
      }
      throw new NeedMore();
    }
  };
  const u32 = () => {
    need(4);
    const v = view.getUint32(pos);
    pos += 4;
    return v;
  };
  const u64 = () => {
    need(8);
    const v = view.getBigUint64(pos);
    pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new Error(`a count or offset of ${v} in the header`);
    }
    return Number(v);
  };
  const version = bytes[3] as 1 | 2 | 5;
  const size = version === 5 ? u64 : u32; // NON_NEG counts and lengths
  pos = 4;
  const rawRecs = version === 5 ? (need(8), view.getBigUint64(pos)) : BigInt(u32());
  if (version === 5) pos += 8;
  const streaming = version === 5 ? rawRecs === 0xffffffffffffffffn : rawRecs === 0xffffffffn;
  const numrecs = streaming ? -1 : Number(rawRecs);
  /** A count of items each at least `min` bytes long, checked against what is left of the file. */
  const count = (min: number, what: string) => {
    const n = size();
    if (n * min > fileSize - pos) {
      throw new Error(
        `the header claims ${n} ${what}, more than the file (${fileSize} bytes) holds`,
      );
    }
    return n;
  };
  const pad4 = (n: number) => (n + 3) & ~3;
  const name = () => {
    const n = count(1, "name bytes");
    need(pad4(n));
    const text = new TextDecoder().decode(bytes.subarray(pos, pos + n));
    pos += pad4(n);
    return text;
  };
  const list = (tag: number, what: string, min: number) => {
    const t = u32();
    if (t === 0) {
      const zero = size();
      if (zero !== 0) throw new Error(`a malformed ${what} list (absent, yet ${zero} entries)`);
      return 0;
    }
    if (t !== tag) throw new Error(`a malformed header: expected the ${what} list, found tag ${t}`);
    return count(min, what);
  };
  const typeCode = () => {
    const t = u32();
    if (!(t in NC_TYPE) || (version !== 5 && t > 6)) {
      throw new Error(`unknown netCDF type code ${t}`);
    }
    return t as NcType;
  };
  const attributes = () => {
    const n = list(TAG.attribute, "attributes", 12);
    const out: Nc3Attribute[] = [];
    for (let i = 0; i < n; i++) {
      const attrName = name();
      const type = typeCode();
      const items = count(NC_TYPE[type].size, `values of attribute "${attrName}"`);
      const nbytes = items * NC_TYPE[type].size;
      need(pad4(nbytes));
      out.push({ name: attrName, type, bytes: bytes.slice(pos, pos + nbytes), count: items });
      pos += pad4(nbytes);
    }
    return out;
  };
  const dims: Nc3Dimension[] = [];
  const nDims = list(TAG.dimension, "dimensions", 8);
  for (let i = 0; i < nDims; i++) {
    const dimName = name();
    const length = size();
    dims.push({ name: dimName, length, unlimited: length === 0 });
  }
  const attrs = attributes();
  const vars: Nc3Variable[] = [];
  const nVars = list(TAG.variable, "variables", 24);
  for (let i = 0; i < nVars; i++) {
    const varName = name();
    const rank = count(4, `dimensions of variable "${varName}"`);
    const dimIds = Array.from({ length: rank }, () => size());
    for (const id of dimIds) {
      if (id >= dims.length) {
        throw new Error(`variable "${varName}" names dimension id ${id}, of ${dims.length}`);
      }
    }
    const varAttrs = attributes();
    const type = typeCode();
    const vsize = size();
    const begin = version === 1 ? u32() : u64();
    vars.push({ name: varName, dimIds, attrs: varAttrs, type, vsize, begin });
  }
  for (const d of dims) if (d.unlimited) d.length = numrecs;
  return { version, numrecs, dims, attrs, vars, size: pos };
}

/**
 * Reads and parses the header through `read`, fetching more of the file
 * only while the header goes on (a few KiB for most files).
 */
export async function readHeader(
  read: (offset: number, length: number) => Promise<Uint8Array>,
  fileSize: number,
): Promise<Nc3Header> {
  let length = Math.min(fileSize, 64 << 10);
  for (;;) {
    const bytes = await read(0, length);
    try {
      return parse(bytes, fileSize);
    } catch (e) {
      if (!(e instanceof NeedMore)) throw e;
      if (length >= fileSize) throw new Error("the header runs past the end of the file");
      length = Math.min(fileSize, length * 4);
    }
  }
}
