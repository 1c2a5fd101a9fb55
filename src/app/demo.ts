/**
 * The demo: one dataset of each kind, with nothing to download. Memory, a netCDF-4 file, an
 * aggregation of twelve monthly files, computed variables, a template of 10^7 chunks, a
 * netCDF-3 file, and a file published with v3 sharding. The files are in demo/data (written
 * once by demo/make_demo.py with netCDF4-python).
 */
import { fileURLToPath } from "node:url";
import type { Publication } from "./config.ts";
import { aggregate } from "../sources/virtual/aggregate.ts";
import { withComputed } from "../sources/virtual/computed.ts";
import { demoClimate } from "../sources/virtual/demo_memory.ts";
import { openFile } from "../sources/files.ts";
import { template } from "../sources/virtual/template.ts";

/** One demo dataset and the kind it shows. */
export interface DemoDataset {
  /** The dataset, with how it is published. */
  publication: Publication;
  /** What kind of dataset it shows, in words. */
  kind: string;
}

/** A demo file's location: a path in a checkout, a URL in a published package. */
function demoFile(name: string): string {
  const url = new URL(`../../demo/data/${name}`, import.meta.url);
  return url.protocol === "file:" ? fileURLToPath(url) : url.href;
}

/** 100 years of hourly 1-degree fields, made from each chunk's coordinates when asked. */
export function hypotheticube(): ReturnType<typeof template> {
  const hours = 100 * 8766; // 876,600: 100 years of 365.25 days
  // 50 levels at a tenth of a degree, chunked as analysis-ready archives are (one level of one
  // hour by a ninth of the globe, 2.9 MB): 1.1 PB declared in 394 million chunks, none stored.
  const levels = 50, ny = 1801, nx = 3600;
  return template("hypotheticube", {
    dims: { time: hours, level: levels, lat: ny, lon: nx },
    attrs: {
      title: "zarrflask demo: a hypotheticube, 100 years hourly, 50 levels, 0.1 degree (1.1 PB)",
      comment: "nothing is stored: each chunk is made from its coordinates when a client asks",
    },
    variables: {
      time: {
        dims: ["time"],
        dtype: "float64",
        chunks: [8766],
        attrs: { units: "hours since 1950-01-01 00:00:00", calendar: "standard" },
        chunk: ({ start, count }) =>
          Float64Array.from({ length: count[0] }, (_, i) => start[0] + i),
      },
      level: {
        dims: ["level"],
        dtype: "int32",
        chunks: [levels],
        attrs: { long_name: "model level", positive: "up" },
        chunk: () => Int32Array.from({ length: levels }, (_, i) => i),
      },
      lat: {
        dims: ["lat"],
        dtype: "float32",
        chunks: [ny],
        attrs: { units: "degrees_north" },
        chunk: () => Float32Array.from({ length: ny }, (_, i) => 90 - 0.1 * i),
      },
      lon: {
        dims: ["lon"],
        dtype: "float32",
        chunks: [nx],
        attrs: { units: "degrees_east" },
        chunk: () => Float32Array.from({ length: nx }, (_, i) => 0.1 * i),
      },
      t: {
        dims: ["time", "level", "lat", "lon"],
        dtype: "float32",
        chunks: [1, 1, 601, 1200],
        attrs: {
          units: "K",
          long_name: "air temperature (synthetic)",
          comment: "280 + 25 cos(lat) + 3 sin(2 pi hour / 24) + 0.00002 hour - 0.5 level, " +
            "lon-independent",
        },
        chunk: ({ start, shape }) => {
          const [, , cy, cx] = shape;
          const hour = start[0], level = start[1];
          const out = new Float32Array(cy * cx);
          for (let y = 0; y < cy; y++) {
            const lat = ((90 - 0.1 * (start[2] + y)) * Math.PI) / 180;
            const v = 280 + 25 * Math.cos(lat) + 3 * Math.sin((2 * Math.PI * hour) / 24) +
              0.00002 * hour - 0.5 * level;
            out.fill(v, y * cx, (y + 1) * cx);
          }
          return out;
        },
      },
    },
  });
}

/** Every demo dataset, with its kind. */
export async function demoPublications(): Promise<DemoDataset[]> {
  const climate = demoClimate();
  const weather = await openFile(demoFile("weather.nc"), { name: "weather" });
  const months = Array.from(
    { length: 12 },
    (_, i) => demoFile(`monthly/2021-${String(i + 1).padStart(2, "0")}.nc`),
  );
  const monthly = await aggregate(months, { name: "monthly", concat: "time" });
  const computed = withComputed(climate, {
    air_celsius: {
      inputs: ["air"],
      dtype: "float32",
      attrs: {
        units: "°C",
        long_name: "air temperature",
        comment: "computed on request: air - 273.15",
      },
      compute: ([air]) => Float32Array.from(air as Float32Array, (k) => k - 273.15),
    },
    air_zonal_smooth: {
      inputs: ["air"],
      dtype: "float32",
      attrs: {
        units: "K",
        comment: "computed on request: running mean of air over 5 longitudes (periodic); " +
          "its chunks span every longitude, so each chunk is computed alone",
      },
      compute: ([air], chunk) => {
        const nx = chunk.shape[chunk.shape.length - 1];
        const a = air as Float32Array;
        const out = new Float32Array(a.length);
        for (let row = 0; row < a.length; row += nx) {
          for (let x = 0; x < nx; x++) {
            let s = 0;
            for (let d = -2; d <= 2; d++) s += a[row + ((x + d + nx) % nx)];
            out[row + x] = s / 5;
          }
        }
        return out;
      },
    },
  }, "climate_computed");
  const classic = await openFile(demoFile("classic.nc"), { name: "classic" });
  const sharded = await openFile(demoFile("weather.nc"), { name: "weather_sharded" });
  return [
    { publication: { dataset: climate }, kind: "memory" },
    { publication: { dataset: weather }, kind: "netCDF-4 file" },
    { publication: { dataset: monthly }, kind: "aggregation of 12 monthly files" },
    { publication: { dataset: computed }, kind: "computed (air in °C, a zonal running mean)" },
    {
      publication: { dataset: hypotheticube() },
      kind: "template (1.1 PB, 394 million chunks of 2.9 MB)",
    },
    { publication: { dataset: classic }, kind: "netCDF-3 file" },
    { publication: { dataset: sharded, shardBytes: 256 << 10 }, kind: "file, v3 sharded" },
  ];
}
