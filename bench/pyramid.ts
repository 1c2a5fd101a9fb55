/**
 * The cost of pyramids made on request: for one variable of FILE, each level's first chunk cold
 * (a fresh server) and again warm, then every chunk of every level 1 and up (4 at a time), with
 * the server's peak RSS. One server process.
 *
 * usage: deno run -A bench/pyramid.ts FILE VAR   (e.g. bench/.data/climate_small.nc t2m)
 */
import { peakRss } from "./proc.ts";
import { fileURLToPath } from "node:url";
import { basename, extname } from "node:path";
import { freePort, waitFor } from "./load.ts";

const [file, variable] = Deno.args;
if (!file || !variable) {
  console.error("usage: deno run -A bench/pyramid.ts FILE VAR");
  Deno.exit(2);
}
const cli = fileURLToPath(new URL("../cli.ts", import.meta.url));
const name = basename(file, extname(file));
const port = freePort();
const server = new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", cli, "serve", "--port", String(port), "--parallel", "1", file],
  stdout: "null",
  stderr: "inherit",
}).spawn();
const base = `http://127.0.0.1:${port}/pyramid/${name}`;
const hwm = () => peakRss(server.pid);
try {
  await waitFor(`${base}/zarr.json`);
  const meta = (await (await fetch(`${base}/.zmetadata`)).json()).metadata;
  const levels = Object.keys(meta).filter((k) => k.endsWith(`/${variable}/.zarray`))
    .map((k) => Number(k.split("/")[0])).sort((a, b) => a - b);
  const timed = async (key: string) => {
    const t0 = performance.now();
    const res = await fetch(`${base}/${key}`);
    const n = (await res.arrayBuffer()).byteLength;
    if (!res.ok) throw new Error(`${key}: ${res.status}`);
    return { ms: performance.now() - t0, n };
  };
  console.log(
    `| level | shape | chunks | first chunk cold, ms | again, ms |\n|---|---|---|---|---|`,
  );
  for (const k of levels.slice(1).reverse()) { // coarsest first: it is made from all below
    const a = meta[`${k}/${variable}/.zarray`];
    const key = `${k}/${variable}/${a.shape.map(() => 0).join(".")}`;
    const cold = await timed(key);
    const warm = await timed(key);
    console.log(
      `| ${k} | ${a.shape.join(" × ")} | ${a.chunks.join(" × ")} | ${cold.ms.toFixed(0)} | ` +
        `${warm.ms.toFixed(1)} |`,
    );
  }
  const rss0 = hwm();
  const t0 = performance.now();
  let chunks = 0, bytes = 0;
  for (const k of levels.slice(1)) {
    const a = meta[`${k}/${variable}/.zarray`];
    const grid: number[] = a.shape.map((n: number, i: number) => Math.ceil(n / a.chunks[i]));
    const keys: string[] = [];
    const total = grid.reduce((x, y) => x * y, 1);
    for (let j = 0; j < total; j++) {
      keys.push(
        grid.map((_, i) => Math.floor(j / grid.slice(i + 1).reduce((x, y) => x * y, 1)) % grid[i])
          .join("."),
      );
    }
    for (let i = 0; i < keys.length; i += 4) {
      const got = await Promise.all(
        keys.slice(i, i + 4).map((c) => timed(`${k}/${variable}/${c}`)),
      );
      chunks += got.length;
      bytes += got.reduce((s, g) => s + g.n, 0);
    }
  }
  const s = (performance.now() - t0) / 1000;
  console.log(
    `\nevery chunk of levels ${levels.slice(1).join(", ")}: ${chunks} chunks (${
      (bytes / 1e6).toFixed(1)
    } MB encoded) in ${s.toFixed(1)} s (${(s * 1000 / chunks).toFixed(0)} ms a chunk); ` +
      `peak RSS ${rss0.toFixed(0)} MB before, ${hwm().toFixed(0)} MB after`,
  );
} finally {
  server.kill("SIGTERM");
  await server.status;
}
