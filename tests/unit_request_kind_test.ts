/**
 * Unit: requestKind (src/http/request_kind.ts), the label of logs and metrics, for every kind
 * of path the server answers. It reads the path alone, so a name that looks like a chunk key
 * is labelled a chunk.
 */
import assert from "node:assert/strict";
import { type RequestKind, requestKind } from "../src/http/request_kind.ts";

const KINDS: Record<RequestKind, string[]> = {
  health: ["/health"],
  metrics: ["/metrics"],
  look: ["/_zarrflask/look/clim/air.png", "/_zarrflask/look/"],
  asset: ["/_zarrflask/app.js", "/_zarrflask/style.css", "/_zarrflask/"],
  metadata: [
    "/clim/.zmetadata",
    "/clim/.zgroup",
    "/clim/.zattrs",
    "/clim/air/.zarray",
    "/clim/air/.zattrs",
    "/clim/zarr.json",
    "/clim/group/air/zarr.json",
    "/v2/clim/.zmetadata",
    "/.zgroup",
  ],
  chunk: [
    "/clim/air/0.0.0", // v2
    "/clim/air/12.3.45",
    "/clim/scalar/0", // v2, 0-d
    "/clim/air/c/0/0/0", // v3
    "/clim/group/air/c/1/2",
    "/clim/scalar/c", // v3, 0-d
    "/v2/clim/air/0.0.0",
  ],
  listing: ["/", "/clim/", "/clim/group/", "/v2/clim/", "/health/", "/metrics/"],
  other: [
    "/clim",
    "/clim/air",
    "/clim/refs.json",
    "/favicon.ico",
    "/clim/air/0.",
    "/clim/air/.0",
    "/clim/air/0..1",
    "/clim/air/-1",
    "/clim/air/1e3",
    "/clim/air/cc",
    "/clim/.zarray.bak",
    "/_zarrflask", // no slash: not the assets' folder
    "/healthz",
    "",
  ],
};

Deno.test("unit requestKind: each kind of path", () => {
  for (const [kind, paths] of Object.entries(KINDS)) {
    for (const path of paths) assert.equal(requestKind(path), kind, JSON.stringify(path));
  }
});

Deno.test("unit requestKind: the last segment decides, whatever the folders are called", () => {
  // Folders named like documents or chunk keys do not change the label.
  assert.equal(requestKind("/.zarray/air/"), "listing");
  assert.equal(requestKind("/c/0/"), "listing");
  assert.equal(requestKind("/0.0/zarr.json"), "metadata");
  assert.equal(requestKind("/zarr.json/0.1"), "chunk");
  // From the path alone a variable or file named like a chunk key reads as a chunk.
  assert.equal(requestKind("/clim/c"), "chunk");
  assert.equal(requestKind("/clim/2020"), "chunk");
});
