/** What a request asks for, from its path alone: the label of logs and metrics. */

/** The kinds of request the server answers. */
export type RequestKind =
  | "metadata"
  | "chunk"
  | "listing"
  | "look"
  | "asset"
  | "health"
  | "metrics"
  | "other";

const META = new Set([".zarray", ".zattrs", ".zgroup", ".zmetadata", "zarr.json"]);

/** The kind of a request for `path` (URL path, percent-encoded or not). */
export function requestKind(path: string): RequestKind {
  if (path === "/health") return "health";
  if (path === "/metrics") return "metrics";
  if (path.startsWith("/_zarrflask/")) {
    return path.startsWith("/_zarrflask/look/") ? "look" : "asset";
  }
  const last = path.slice(path.lastIndexOf("/") + 1);
  if (META.has(last)) return "metadata";
  // v2 keys "0.1.2" (0-d: "0"); v3 keys ".../c/0/1/2" (0-d: ".../c").
  if (/^\d+(\.\d+)*$/.test(last) || last === "c") return "chunk";
  if (path === "/" || path.endsWith("/")) return "listing";
  return "other";
}
