/**
 * Serve your own data through the library: one dataset of each kind, built in code.
 * usage: deno run -A examples/serve_my_data.ts [PORT]   (default 8001)
 */
import { aggregate, memoryDataset, openFile, serve, template, withComputed } from "../mod.ts";

const data = (name: string) => new URL(`../demo/data/${name}`, import.meta.url).pathname;

// 1. Arrays you hold, with dimensions and CF attributes.
const depth = Float32Array.from({ length: 50 }, (_, i) => i * 10);
const ocean = memoryDataset("ocean", {
  dims: { depth: 50 },
  variables: {
    depth: { dims: ["depth"], data: depth, attrs: { units: "m", positive: "down" } },
    temp: { dims: ["depth"], data: depth.map((z) => 4 + 16 * Math.exp(-z / 100)) },
  },
});

// 2. A file: netCDF-3, netCDF-4 or HDF5; a path, an https:// URL or s3://bucket/key.
const weather = await openFile(data("weather.nc"), { name: "my_weather" });

// 3. Twelve monthly files as one dataset along time.
const months = [...Array(12).keys()].map((m) =>
  data(`monthly/2021-${m < 9 ? "0" : ""}${m + 1}.nc`)
);
const year = await aggregate(months, { name: "my_year", concat: "time" });

// 4. A variable computed from another, chunk by chunk, when a client asks for it.
const celsius = withComputed(year, {
  t2m_celsius: {
    inputs: ["t2m"],
    dtype: "float32",
    attrs: { units: "°C", comment: "t2m - 273.15, computed on request" },
    compute: ([k]) => (k as Float32Array).map((v) => v - 273.15),
  },
}, "my_year_celsius");

// 5. A template: metadata now, each chunk made from its coordinates only when asked.
const ramp = template("ramp", {
  dims: { t: 1_000_000, x: 1000 },
  variables: {
    v: {
      dims: ["t", "x"],
      dtype: "float64",
      chunks: [100, 1000],
      chunk: ({ start, shape }) =>
        Float64Array.from({ length: shape[0] * shape[1] }, (_, i) => start[0] + i / shape[1] | 0),
    },
  },
});

serve([ocean, weather, year, celsius, ramp], {
  port: Number(Deno.args[0] ?? 8001),
  onListen: (url) =>
    console.log(`serving ocean, my_weather, my_year, my_year_celsius, ramp at ${url}/`),
});
