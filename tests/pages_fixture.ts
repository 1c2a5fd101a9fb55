/** The dataset the page tests draw: a known pattern, packing, fill values and hostile text. */
import { memoryDataset } from "../src/sources/virtual/memory.ts";
import type { Dataset } from "../src/model/types.ts";

/** Grid of the pattern: latitude ascends, so the picture is flipped to put north on top. */
export const NY = 16, NX = 32, NT = 3;
/** The bright block: time step 1, the last four latitudes (north), the first eight longitudes. */
export const BLOCK = { t: 1, lat0: 12, lat1: 15, lon0: 0, lon1: 7 };
/** An attribute a page must show as text, never run. */
export const HOSTILE = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">`;

/** The page-test dataset `pat`. */
export function patternDataset(): Dataset {
  const lat = Float32Array.from({ length: NY }, (_, i) => -75 + 10 * i);
  const lon = Float32Array.from({ length: NX }, (_, i) => 10 * i);
  const block = new Float32Array(NT * NY * NX);
  for (let y = BLOCK.lat0; y <= BLOCK.lat1; y++) {
    for (let x = BLOCK.lon0; x <= BLOCK.lon1; x++) block[(BLOCK.t * NY + y) * NX + x] = 10;
  }
  block[(BLOCK.t * NY + 0) * NX + NX - 1] = NaN; // south-east corner: bottom right, masked
  const packed = Int16Array.from({ length: NY * NX }, (_, i) => i % NX);
  packed[0] = -1; // the fill value: masked
  return memoryDataset("pat", {
    dims: { time: NT, lat: NY, lon: NX },
    attrs: { title: "pattern", comment: HOSTILE },
    variables: {
      time: {
        dims: ["time"],
        data: new Float64Array([0, 31, 59]),
        attrs: { units: "days since 2001-01-01", calendar: "standard" },
      },
      lat: { dims: ["lat"], data: lat, attrs: { units: "degrees_north" } },
      lon: { dims: ["lon"], data: lon, attrs: { units: "degrees_east" } },
      block: {
        dims: ["time", "lat", "lon"],
        data: block,
        chunks: [1, 8, 16],
        attrs: { units: "K", long_name: "a block in the north-west", [HOSTILE]: HOSTILE },
      },
      packed: {
        dims: ["lat", "lon"],
        data: packed,
        fillValue: -1,
        attrs: { scale_factor: 0.5, add_offset: 100, units: "mm" },
      },
      series: {
        dims: ["time"],
        data: new Float32Array([1, 5, 2]),
        attrs: { units: "m" },
      },
    },
  });
}
