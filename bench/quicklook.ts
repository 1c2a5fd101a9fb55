/**
 * Quick-look timings: the JSON (which renders the picture) and then the PNG of a 721x1440 field
 * of the benchmark file, cold (chunks not yet read) and warm (another index of the same chunks).
 *
 * usage: deno run -A bench/quicklook.ts [FILE.nc] [VARIABLE]   (default: bench/.data/climate_small.nc t2m)
 */
import { openFile, serve } from "../mod.ts";

const path = Deno.args[0] ?? new URL("./.data/climate_small.nc", import.meta.url).pathname;
const variable = Deno.args[1] ?? "t2m";
const ds = await openFile(path, { name: "climate" });
let base = "";
const ac = new AbortController();
const server = serve([ds], { port: 0, signal: ac.signal, onListen: (u) => (base = u) });
const t = async (at: number) => {
  const t0 = performance.now();
  const look = await (await fetch(`${base}/_zarrflask/look/climate/${variable}?at=${at}`)).json();
  const t1 = performance.now();
  const png = new Uint8Array(await (await fetch(`${base}${look.field.png}`)).arrayBuffer());
  const t2 = performance.now();
  return {
    at,
    json_ms: t1 - t0,
    png_ms: t2 - t1,
    total_ms: t2 - t0,
    server_ms: look.read.ms,
    chunks: look.read.chunks,
    png_kb: png.length / 1024,
    size: `${look.field.width}x${look.field.height}`,
  };
};
const rows = [];
for (const at of [0, 1, 24, 25, 47, 0]) rows.push(await t(at));
console.table(
  rows.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [k, typeof v === "number" ? Math.round(v * 10) / 10 : v]),
    )
  ),
);
ac.abort();
await server.finished;
