/**
 * HDF5 datatypes, as h5wasm describes them, in model terms: the Zarr element
 * type, and how the bytes HDF5 hands over become the model's packed,
 * little-endian elements. A type with no exact Zarr form is a reason in words.
 */
import type { Metadata } from "h5wasm/node";
import { itemSize, product } from "../../model/grid.ts";
import type { DataType, StructField } from "../../model/types.ts";

/** HDF5 type classes (H5T_class_t). */
export const H5T = {
  INTEGER: 0,
  FLOAT: 1,
  TIME: 2,
  STRING: 3,
  BITFIELD: 4,
  OPAQUE: 5,
  COMPOUND: 6,
  REFERENCE: 7,
  ENUM: 8,
  VLEN: 9,
  ARRAY: 10,
} as const;

/** One HDF5 type in model terms. */
export interface MappedType {
  /** The model element type. */
  dtype: DataType;
  /** Trailing axes of an array-typed (H5T_ARRAY) dataset; [] otherwise. */
  extraShape: number[];
  /** Bytes per HDF5 element as read (the file's layout). */
  rawSize: number;
  /**
   * h5wasm asks HDF5 for little-endian only when the whole type is big-endian
   * (a mixed-order compound comes as stored); then HDF5 swaps everything.
   */
  swappedByHdf5: boolean;
  /**
   * HDF5 refuses to reorder it (an enum in a big-endian type), so it must be
   * read as stored, from the file, and swapped here.
   */
  unconvertible: boolean;
  /**
   * Turns `n` elements as read into model bytes: packs compounds, and swaps
   * what HDF5 left big-endian (`asStored`: the bytes are the file's own).
   * Absent when the bytes are already the model's.
   */
  convert(asStored: boolean): ((raw: Uint8Array, n: number) => Uint8Array) | undefined;
}

/** A byte run copied from an HDF5 element to a model element, swapped when big-endian. */
interface Move {
  from: number;
  to: number;
  /** Bytes per value. */
  size: number;
  /** Values in the run. */
  count: number;
  /** Big-endian in the file (a multi-byte number). */
  bigEndian: boolean;
}

const BOOL_NAMES = "FALSE,TRUE";

/** Whether h5wasm metadata describes h5py's bool (enum FALSE=0, TRUE=1 over one byte). */
function isBoolEnum(meta: Metadata): boolean {
  const members = meta.enum_type?.members ?? {};
  return meta.size === 1 && Object.keys(members).sort().join(",") === BOOL_NAMES &&
    members.FALSE === 0 && members.TRUE === 1;
}

/** Whether a compound is h5py's complex number (two floats named r and i). */
function isComplex(meta: Metadata): boolean {
  const [r, i] = meta.compound_type?.members ?? [];
  return meta.compound_type?.members.length === 2 && r.name === "r" && i.name === "i" &&
    r.type === H5T.FLOAT && i.type === H5T.FLOAT && r.size === i.size &&
    (r.size === 4 || r.size === 8) && r.offset === 0 && i.offset === r.size &&
    r.littleEndian === i.littleEndian;
}

/** The model type of one element (no array dataset types), or why it has none. */
function elementType(meta: Metadata, inCompound: boolean): DataType | string {
  switch (meta.type) {
    case H5T.INTEGER:
    case H5T.BITFIELD:
      if (![1, 2, 4, 8].includes(meta.size)) return `${meta.size * 8}-bit integers`;
      return {
        kind: meta.type === H5T.INTEGER && meta.signed ? "int" : "uint",
        size: meta.size as 1 | 2 | 4 | 8,
      };
    case H5T.FLOAT:
      if (![2, 4, 8].includes(meta.size)) return `${meta.size * 8}-bit floats`;
      return { kind: "float", size: meta.size as 2 | 4 | 8 };
    case H5T.STRING:
      if (!meta.vlen) return { kind: "bytes", size: meta.size };
      return inCompound ? "variable-length strings inside a compound" : { kind: "string" };
    case H5T.ENUM:
      if (meta.enum_type?.type !== H5T.INTEGER) return "enums of a non-integer base type";
      if (isBoolEnum(meta)) return { kind: "bool" };
      if (![1, 2, 4, 8].includes(meta.size)) return `${meta.size * 8}-bit enums`;
      return { kind: meta.signed ? "int" : "uint", size: meta.size as 1 | 2 | 4 | 8 };
    case H5T.COMPOUND: {
      if (isComplex(meta)) return { kind: "complex", size: (meta.size) as 8 | 16 };
      const fields: StructField[] = [];
      for (const m of meta.compound_type?.members ?? []) {
        const array = m.type === H5T.ARRAY ? m.array_type : undefined;
        const t = elementType(array ?? m, true);
        if (typeof t === "string") return `compound member "${m.name}": ${t}`;
        if (array?.type === H5T.ARRAY) return `compound member "${m.name}": nested arrays`;
        const shape = array ? arrayShape(m) : undefined;
        fields.push(shape ? { name: m.name, type: t, shape } : { name: m.name, type: t });
      }
      if (fields.length === 0) return "compounds without members";
      return { kind: "struct", fields };
    }
    case H5T.REFERENCE:
      return meta.ref_type === "region" ? "region references" : "object references";
    case H5T.VLEN:
      return "variable-length sequences";
    case H5T.OPAQUE:
      return "opaque data";
    case H5T.TIME:
      return "HDF5 time values";
    case H5T.ARRAY:
      return inCompound ? "nested arrays" : "arrays of arrays";
    default:
      return `an unknown HDF5 type (class ${meta.type})`;
  }
}

function arrayShape(meta: Metadata): number[] {
  return (meta.array_type as (Metadata & { shape?: number[] }) | undefined)?.shape ?? [];
}

/** The byte runs that turn one HDF5 element (at `from`) into one model element (at `to`). */
function moves(meta: Metadata, dtype: DataType, from: number, to: number, out: Move[]): void {
  const push = (f: number, t: number, size: number, count: number, big: boolean) =>
    out.push({ from: f, to: t, size, count, bigEndian: big && size > 1 });
  switch (dtype.kind) {
    case "struct": {
      let at = to;
      dtype.fields.forEach((field, k) => {
        const m = meta.compound_type!.members[k];
        const base = m.type === H5T.ARRAY ? m.array_type! : m;
        const n = product(field.shape ?? []);
        const size = itemSize(field.type);
        for (let e = 0; e < n; e++) {
          moves(base, field.type, from + m.offset + e * base.size, at + e * size, out);
        }
        at += size * n;
      });
      return;
    }
    case "complex": {
      const half = dtype.size / 2;
      push(from, to, half, 2, !meta.compound_type!.members[0].littleEndian);
      return;
    }
    case "bytes":
    case "bool":
      push(from, to, itemSize(dtype), 1, false);
      return;
    default:
      push(from, to, itemSize(dtype), 1, !meta.littleEndian);
  }
}

/** Joins runs that follow each other and are copied alike. */
function merged(list: Move[]): Move[] {
  const out: Move[] = [];
  for (const m of list) {
    const last = out.at(-1);
    if (
      last && !last.bigEndian && !m.bigEndian && last.from + last.size * last.count === m.from &&
      last.to + last.size * last.count === m.to
    ) {
      last.count = last.size * last.count + m.size * m.count;
      last.size = 1;
    } else if (
      last && last.bigEndian && m.bigEndian && last.size === m.size &&
      last.from + last.size * last.count === m.from && last.to + last.size * last.count === m.to
    ) {
      last.count += m.count;
    } else out.push({ ...m });
  }
  return out;
}

/** Runs `list` over every element. */
function runMoves(list: Move[], rawSize: number, size: number) {
  return (raw: Uint8Array, n: number): Uint8Array => {
    const out = new Uint8Array(n * size);
    for (let e = 0; e < n; e++) {
      const r = e * rawSize, o = e * size;
      for (const m of list) {
        const bytes = m.size * m.count;
        if (!m.bigEndian) {
          out.set(raw.subarray(r + m.from, r + m.from + bytes), o + m.to);
          continue;
        }
        for (let v = 0; v < bytes; v += m.size) {
          for (let b = 0; b < m.size; b++) {
            out[o + m.to + v + b] = raw[r + m.from + v + m.size - 1 - b];
          }
        }
      }
    }
    return out;
  };
}

/** Byte order as HDF5's H5Tget_order sees it: compounds of differing members are mixed. */
function byteOrder(meta: Metadata): "le" | "be" | "mixed" | "none" {
  switch (meta.type) {
    case H5T.ARRAY:
      return byteOrder(meta.array_type!);
    case H5T.COMPOUND: {
      let order: "le" | "be" | "mixed" | "none" = "none";
      for (const m of meta.compound_type!.members) {
        const o = byteOrder(m);
        if (o === "none") continue;
        order = order === "none" || order === o ? o : "mixed";
      }
      return order;
    }
    case H5T.INTEGER:
    case H5T.FLOAT:
    case H5T.BITFIELD:
    case H5T.ENUM:
      return meta.littleEndian ? "le" : "be";
    default:
      return "none";
  }
}

/** Whether an enum lies anywhere inside. */
function hasEnum(meta: Metadata): boolean {
  if (meta.type === H5T.ENUM) return true;
  if (meta.type === H5T.ARRAY) return hasEnum(meta.array_type!);
  if (meta.type === H5T.COMPOUND) return meta.compound_type!.members.some(hasEnum);
  return false;
}

/** Maps an HDF5 type to the model, or explains in words why it cannot be served exactly. */
export function mapType(meta: Metadata): MappedType | string {
  const array = meta.type === H5T.ARRAY ? meta.array_type : undefined;
  const base = array ?? meta;
  const dtype = elementType(base, false);
  if (typeof dtype === "string") return array ? `arrays of ${dtype}` : dtype;
  if (array && dtype.kind === "string") return "arrays of variable-length strings";
  const extraShape = array ? arrayShape(meta) : [];
  const size = itemSize(dtype);
  const count = product(extraShape);
  const rawSize = meta.size;
  const all: Move[] = [];
  for (let e = 0; e < count; e++) moves(base, dtype, e * base.size, e * size, all);
  return {
    dtype,
    extraShape,
    rawSize,
    swappedByHdf5: byteOrder(meta) === "be",
    unconvertible: byteOrder(meta) === "be" && hasEnum(meta),
    convert(asStored) {
      const list = merged(all.map((m) => ({ ...m, bigEndian: asStored && m.bigEndian })));
      const identity = rawSize === size * count && list.length === 1 && !list[0].bigEndian &&
        list[0].from === 0 && list[0].to === 0 && list[0].size * list[0].count === rawSize;
      if (dtype.kind === "string" || identity || (list.length === 0 && rawSize === 0)) {
        return undefined;
      }
      return runMoves(list, rawSize, size * count);
    },
  };
}

/** Enum members as h5wasm reports them (it converts values to 32-bit ints). */
export function enumMembers(meta: Metadata): [string, number][] | undefined {
  const base = meta.type === H5T.ARRAY ? meta.array_type! : meta;
  if (base.type !== H5T.ENUM || isBoolEnum(base)) return undefined;
  return Object.entries(base.enum_type?.members ?? {}).sort((a, b) => a[1] - b[1]);
}
