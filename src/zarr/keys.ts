/** Store keys: what a key names, decided against the dataset's tree. */
import { findNode } from "../model/tree.ts";
import type { ArrayNode, GroupNode, Node } from "../model/types.ts";

/** A metadata document of one node. */
export interface MetaKey {
  /** Tells the kinds apart. */
  kind: "meta";
  /** The node's path ("" for the root). */
  path: string;
  /** Which document. */
  doc: ".zgroup" | ".zattrs" | ".zarray" | ".zmetadata" | "zarr.json";
  /** The node it describes. */
  node: Node;
}

/** A chunk of one array, in v2 (`i.j`) or v3 (`c/i/j`) spelling. */
export interface ChunkKey {
  /** Tells the kinds apart. */
  kind: "chunk";
  /** The spelling: 2 for `i.j`, 3 for `c/i/j`. */
  format: 2 | 3;
  /** The array's path. */
  path: string;
  /** The array. */
  array: ArrayNode;
  /** Grid coordinates (not yet checked against the grid). */
  coords: number[];
}

/** A group or an array itself (with or without a trailing slash): a listing or a page. */
export interface NodeKey {
  /** Tells the kinds apart. */
  kind: "node";
  /** The node's path. */
  path: string;
  /** The node. */
  node: Node;
}

/** Why a key names nothing: "invalid" when no store could have it, "absent" when this one has not. */
export interface BadKey {
  /** Tells the kinds apart. */
  kind: "invalid" | "absent";
  /** One line saying why. */
  message: string;
}

/** What a key names in one store. */
export type StoreKey = MetaKey | ChunkKey | NodeKey | BadKey;

const DOCS = new Set([".zgroup", ".zattrs", ".zarray", ".zmetadata", "zarr.json"]);
const INDEX = /^(0|[1-9][0-9]{0,15})$/;

function bad(kind: BadKey["kind"], message: string): BadKey {
  return { kind, message };
}

function parseIndices(parts: string[], rank: number, key: string): number[] | BadKey {
  if (rank === 0) {
    return parts.length === 1 && parts[0] === "0"
      ? []
      : bad("invalid", `malformed chunk key "${key}"`);
  }
  if (parts.length !== rank || !parts.every((p) => INDEX.test(p))) {
    return bad("invalid", `malformed chunk key "${key}" for a ${rank}-d array`);
  }
  return parts.map(Number);
}

/** Resolves `key` (no leading slash; a trailing one names a group) in the tree at `root`. */
export function parseKey(root: GroupNode, key: string): StoreKey {
  const nodePath = key.replace(/\/+$/, "");
  const named = findNode(root, nodePath);
  if (named && (named.kind === "group" || nodePath === key)) {
    return { kind: "node", path: nodePath, node: named };
  }
  if (key !== nodePath) return bad("absent", `no group "${nodePath}"`);
  const parts = key.split("/");
  if (parts.some((p) => p === "" || p === "." || p === "..")) {
    return bad("invalid", `malformed key "${key}"`);
  }
  const last = parts[parts.length - 1];
  if (DOCS.has(last)) {
    const path = parts.slice(0, -1).join("/");
    const node = findNode(root, path);
    const doc = last as MetaKey["doc"];
    if (!node) return bad("absent", `no node "${path}"`);
    const fits = doc === "zarr.json" || doc === ".zattrs" ||
      (doc === ".zgroup" && node.kind === "group") ||
      (doc === ".zarray" && node.kind === "array") ||
      (doc === ".zmetadata" && path === "");
    return fits ? { kind: "meta", path, doc, node } : bad("absent", `no ${doc} at "${path}"`);
  }
  // v3: <array path>/c/i/j, or <array path>/c for 0-d.
  for (let i = parts.length - 1; i >= 0; i--) {
    if (parts[i] !== "c") continue;
    const path = parts.slice(0, i).join("/");
    const node = findNode(root, path);
    if (node?.kind !== "array") continue;
    const rest = parts.slice(i + 1);
    const coords = node.shape.length === 0
      ? (rest.length === 0 ? [] : bad("invalid", `malformed chunk key "${key}" for a 0-d array`))
      : parseIndices(rest, node.shape.length, key);
    return Array.isArray(coords) ? { kind: "chunk", format: 3, path, array: node, coords } : coords;
  }
  // v2: <array path>/i.j
  const path = parts.slice(0, -1).join("/");
  const node = findNode(root, path);
  if (node?.kind === "array") {
    const coords = parseIndices(last.split("."), node.shape.length, key);
    return Array.isArray(coords) ? { kind: "chunk", format: 2, path, array: node, coords } : coords;
  }
  return bad("absent", `no key "${key}"`);
}
