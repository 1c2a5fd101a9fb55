/** Store keys: what a key names, decided against the dataset's tree. */
import { findNode } from "../model/tree.ts";
import type { ArrayNode, GroupNode, Node } from "../model/types.ts";

/** A metadata document of one node. */
export interface MetaKey {
  kind: "meta";
  path: string;
  doc: ".zgroup" | ".zattrs" | ".zarray" | ".zmetadata" | "zarr.json";
  node: Node;
}

/** A chunk of one array, in v2 (`i.j`) or v3 (`c/i/j`) spelling. */
export interface ChunkKey {
  kind: "chunk";
  format: 2 | 3;
  path: string;
  array: ArrayNode;
  coords: number[];
}

/** Why a key names nothing: 400 for a malformed key, 404 for an absent one. */
export interface BadKey {
  kind: "error";
  status: 400 | 404;
  message: string;
}

const DOCS = new Set([".zgroup", ".zattrs", ".zarray", ".zmetadata", "zarr.json"]);
const INDEX = /^(0|[1-9][0-9]{0,15})$/;

function bad(status: 400 | 404, message: string): BadKey {
  return { kind: "error", status, message };
}

function parseIndices(parts: string[], rank: number, key: string): number[] | BadKey {
  if (rank === 0) {
    return parts.length === 1 && parts[0] === "0" ? [] : bad(400, `malformed chunk key "${key}"`);
  }
  if (parts.length !== rank || !parts.every((p) => INDEX.test(p))) {
    return bad(400, `malformed chunk key "${key}" for a ${rank}-d array`);
  }
  return parts.map(Number);
}

/** Resolves `key` (no leading slash) in the tree rooted at `root`. */
export function parseKey(root: GroupNode, key: string): MetaKey | ChunkKey | BadKey {
  const parts = key.split("/");
  if (parts.some((p) => p === "" || p === "." || p === "..")) {
    return bad(400, `malformed key "${key}"`);
  }
  const last = parts[parts.length - 1];
  if (DOCS.has(last)) {
    const path = parts.slice(0, -1).join("/");
    const node = findNode(root, path);
    const doc = last as MetaKey["doc"];
    if (!node) return bad(404, `no node "${path}"`);
    const fits = doc === "zarr.json" || doc === ".zattrs" ||
      (doc === ".zgroup" && node.kind === "group") ||
      (doc === ".zarray" && node.kind === "array") ||
      (doc === ".zmetadata" && path === "");
    return fits ? { kind: "meta", path, doc, node } : bad(404, `no ${doc} at "${path}"`);
  }
  // v3: <array path>/c/i/j, or <array path>/c for 0-d.
  for (let i = parts.length - 1; i >= 0; i--) {
    if (parts[i] !== "c") continue;
    const path = parts.slice(0, i).join("/");
    const node = findNode(root, path);
    if (node?.kind !== "array") continue;
    const rest = parts.slice(i + 1);
    const coords = node.shape.length === 0
      ? (rest.length === 0 ? [] : bad(400, `malformed chunk key "${key}" for a 0-d array`))
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
  return bad(404, `no key "${key}"`);
}
