/**
 * Reads every demo dataset with zarrita (the JavaScript Zarr client) in Deno, through both the
 * Zarr v2 and the v3 metadata the server publishes side by side, and prints one value of each.
 *
 * usage: deno run -A examples/read_zarrita.ts [BASE_URL]   (default http://127.0.0.1:8000;
 *        start the demo first with: deno task serve)
 */
import * as zarr from "zarrita";

const base = Deno.args[0] ?? "http://127.0.0.1:8000";

/** Element `index` of variable `path` in store `name`, read as Zarr v2 or v3. */
async function value(name: string, path: string, index: number[], version: 2 | 3) {
  const root = zarr.root(new zarr.FetchStore(`${base}/${name}`));
  const open = version === 2 ? zarr.open.v2 : zarr.open.v3;
  const array = await open(root.resolve(path), { kind: "array" });
  const got = await zarr.get(array, index);
  return { value: Number(got), shape: array.shape, chunks: array.chunks };
}

const reads: [string, string, number[]][] = [
  ["climate", "air", [0, 36, 0]],
  ["weather", "sst", [0, 17, 36]], // stored as float32 with a fill value
  ["monthly", "t2m", [200, 9, 18]], // day 200 of 2021 comes from the July file
  ["climate_computed", "air_celsius", [0, 36, 0]],
  ["hypotheticube", "t", [876599, 10, 900, 0]],
  ["classic", "t2m", [7, 9, 18]],
];
for (const [name, path, index] of reads) {
  const v2 = await value(name, path, index, 2);
  const v3 = await value(name, path, index, 3);
  if (v2.value !== v3.value) throw new Error(`${name}/${path}: v2 ${v2.value} != v3 ${v3.value}`);
  console.log(
    `${name}/${path}[${index}] = ${v2.value.toFixed(3)} (v2 and v3 agree; shape ${v2.shape}, ` +
      `chunks ${v2.chunks})`,
  );
}
// The sharded dataset: v3 only, several chunks in each shard object.
const sharded = await value("weather_sharded", "sst", [0, 17, 36], 3);
console.log(`weather_sharded/sst[0,17,36] = ${sharded.value.toFixed(3)} (v3, sharded)`);
