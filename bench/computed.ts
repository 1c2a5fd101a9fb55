/**
 * Chunk rate of computed variables over HTTP, one client: wind speed from two
 * in-memory variables, and a unit conversion over an HDF5 file's variable.
 * usage: deno run -A bench/computed.ts [FILE.nc VARIABLE]
 */
import { memoryDataset } from "../src/sources/virtual/memory.ts";
import { withComputed } from "../src/sources/virtual/computed.ts";
import { openHdf5 } from "../src/sources/hdf5/hdf5_dataset.ts";
import { gridShape, product, unravel } from "../src/model/grid.ts";
import type { ArrayNode, Dataset } from "../src/model/types.ts";
import { serve } from "../server.ts";

async function rate(ds: Dataset, variable: string, max = 200): Promise<string> {
  const controller = new AbortController();
  let base = "";
  const server = serve([ds], { port: 0, signal: controller.signal, onListen: (u) => (base = u) });
  const a = ds.root.children.get(variable) as ArrayNode;
  const grid = gridShape(a.shape, a.chunks);
  const n = Math.min(product(grid), max);
  const t0 = performance.now();
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const coords = unravel(i, grid);
    const res = await fetch(`${base}/${ds.name}/${variable}/${coords.join(".")}`);
    bytes += (await res.arrayBuffer()).byteLength;
  }
  const s = (performance.now() - t0) / 1000;
  controller.abort();
  await server.finished;
  const mb = (n * product(a.chunks) * 4) / 1e6 / s;
  return `${n} chunks of ${a.chunks} in ${s.toFixed(2)} s = ${(n / s).toFixed(0)} chunks/s, ` +
    `${mb.toFixed(0)} MB/s computed (${(bytes / 1e6 / s).toFixed(0)} MB/s on the wire)`;
}

const ny = 721, nx = 1440, nt = 8;
const u = Float32Array.from({ length: nt * ny * nx }, (_, i) => Math.sin(i / 1000) * 10);
const v = Float32Array.from({ length: nt * ny * nx }, (_, i) => Math.cos(i / 777) * 10);
const wind = withComputed(
  memoryDataset("wind", {
    dims: { time: nt, lat: ny, lon: nx },
    variables: {
      u: { dims: ["time", "lat", "lon"], data: u, chunks: [1, 181, 360] },
      v: { dims: ["time", "lat", "lon"], data: v, chunks: [1, 181, 360] },
    },
  }),
  {
    speed: {
      inputs: ["u", "v"],
      dtype: "float32",
      compute: ([a, b]) => {
        const x = a as Float32Array, y = b as Float32Array;
        const out = new Float32Array(x.length);
        for (let i = 0; i < x.length; i++) out[i] = Math.sqrt(x[i] * x[i] + y[i] * y[i]);
        return out;
      },
    },
  },
);
console.log(`wind speed from in-memory u, v: ${await rate(wind, "speed")}`);
const [file, variable = "t2m"] = Deno.args;
if (file) {
  const ds = withComputed(await openHdf5(file, { name: "file" }), {
    celsius: {
      inputs: [variable],
      dtype: "float32",
      compute: ([k]) => {
        const x = k as Float32Array;
        const out = new Float32Array(x.length);
        for (let i = 0; i < x.length; i++) out[i] = x[i] - 273.15;
        return out;
      },
    },
  });
  console.log(`${variable} in degC from ${file}: ${await rate(ds, "celsius", 64)}`);
  console.log(`${variable} itself, for comparison: ${await rate(ds, variable, 64)}`);
}
