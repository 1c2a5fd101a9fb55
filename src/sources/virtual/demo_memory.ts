/** The built-in demo datasets, made in memory: what `zarrflask serve` shows with no files. */
import type { Dataset } from "../../model/types.ts";
import { memoryDataset } from "./memory.ts";

/** A small CF-style climate dataset: 3-D air temperature, packed precipitation, coordinates. */
export function demoClimate(): Dataset {
  const nt = 24, ny = 73, nx = 144;
  const time = Float64Array.from({ length: nt }, (_, i) => i * 6);
  const lat = Float32Array.from({ length: ny }, (_, i) => 90 - 2.5 * i);
  const lon = Float32Array.from({ length: nx }, (_, i) => 2.5 * i);
  const air = new Float32Array(nt * ny * nx);
  const precip = new Int16Array(nt * ny * nx);
  const scale = 0.01, offset = 5;
  for (let t = 0; t < nt; t++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        const i = (t * ny + y) * nx + x;
        const phase = (2 * Math.PI * t) / nt;
        air[i] = 273.15 + 30 * Math.cos((lat[y] * Math.PI) / 180) +
          5 * Math.sin((lon[x] * Math.PI) / 180 + phase);
        const mm = Math.max(0, 10 * Math.sin((lon[x] * Math.PI) / 90 + phase) + 3);
        // Packed as CF says: stored = (value - add_offset) / scale_factor; land is missing.
        precip[i] = y > 60 ? -32767 : Math.round((mm - offset) / scale);
      }
    }
  }
  return memoryDataset("climate", {
    dims: { time: nt, lat: ny, lon: nx },
    attrs: {
      Conventions: "CF-1.8",
      title: "zarrflask demo: synthetic 6-hourly climate",
      source: "generated in memory by zarrflask",
    },
    variables: {
      time: {
        dims: ["time"],
        data: time,
        attrs: {
          units: "hours since 2000-01-01 00:00:00",
          calendar: "standard",
          standard_name: "time",
          axis: "T",
        },
      },
      lat: {
        dims: ["lat"],
        data: lat,
        attrs: { units: "degrees_north", standard_name: "latitude", axis: "Y" },
      },
      lon: {
        dims: ["lon"],
        data: lon,
        attrs: { units: "degrees_east", standard_name: "longitude", axis: "X" },
      },
      air: {
        dims: ["time", "lat", "lon"],
        data: air,
        chunks: [6, 73, 144],
        attrs: {
          units: "K",
          standard_name: "air_temperature",
          long_name: "air temperature at 2 m",
          cell_methods: "time: point",
        },
        fillValue: NaN,
      },
      precip: {
        dims: ["time", "lat", "lon"],
        data: precip,
        chunks: [6, 73, 144],
        attrs: {
          units: "mm/day",
          standard_name: "lwe_precipitation_rate",
          scale_factor: scale,
          add_offset: offset,
        },
        fillValue: -32767,
      },
    },
  });
}

/** Every demo dataset. */
export function demoDatasets(): Dataset[] {
  return [demoClimate()];
}
