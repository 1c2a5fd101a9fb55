/**
 * Live data costs (`deno run -A bench/live.ts [FILES]`): the per-request cost
 * of the change check, the time from a write until a client sees it, and the
 * memory of a served directory of many files (default 10,000).
 */
import { liveFile } from "../src/sources/live.ts";
import { liveDirectory } from "../src/sources/directory.ts";
import { fileVersion, pinFile } from "../src/sources/bytes/version.ts";
import { serve } from "../server.ts";

const nFiles = Number(Deno.args[0] ?? 10_000);
const PYTHON = "/usr/bin/python3";
const WRITE = `
import sys, netCDF4, numpy as np
nc = netCDF4.Dataset(sys.argv[1], "w"); nc.createDimension("time", None); nc.createDimension("x", 100)
nc.createVariable("v", "f4", ("time", "x"))[:] = np.full((10, 100), float(sys.argv[2]), "f4"); nc.close()
`;
async function write(path: string, value: number): Promise<void> {
  const res = await new Deno.Command(PYTHON, { args: ["-c", WRITE, path, String(value)] }).output();
  if (res.code !== 0) throw new Error(new TextDecoder().decode(res.stderr));
}
const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;
const heap = () => Deno.memoryUsage().heapUsed;
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = await Deno.makeTempDir({ prefix: "zarrflask-live-" });
try {
  const path = `${dir}/f.nc`;
  await write(path, 1);

  // 1. What a request pays for the check.
  const n = 20_000;
  let t = performance.now();
  for (let i = 0; i < n; i++) await fileVersion(path);
  const statUs = (performance.now() - t) / n * 1000;
  t = performance.now();
  const pin = await pinFile(path);
  t = performance.now();
  for (let i = 0; i < n; i++) pin.check(); // what every read of a pinned version pays
  const syncUs = (performance.now() - t) / n * 1000;
  await pin.close();
  for (const interval of [1000, 0]) {
    const ds = liveFile(path, "f", { intervalMs: interval });
    (await ds.acquire()).release();
    t = performance.now();
    for (let i = 0; i < n; i++) (await ds.acquire()).release();
    console.log(
      `acquire+release with a ${interval} ms interval: ${
        ((performance.now() - t) / n * 1000).toFixed(1)
      } µs a request`,
    );
  }
  console.log(
    `stat (the check itself): ${
      statUs.toFixed(1)
    } µs async; the after-read check (fstat of the pinned handle): ${syncUs.toFixed(1)} µs sync`,
  );

  // 2. From a finished write to a client seeing it, with the default 1 s interval.
  const controller = new AbortController();
  let base = "";
  const server = serve([liveFile(path, "f")], {
    port: 0,
    signal: controller.signal,
    onListen: (u) => (base = u),
  });
  const delays: number[] = [];
  for (let k = 2; k < 8; k++) {
    const etag = (await fetch(`${base}/f/v/.zarray`)).headers.get("etag");
    await new Promise((r) => setTimeout(r, Math.random() * 1000));
    await write(path, k);
    const written = performance.now();
    for (;;) {
      const res = await fetch(`${base}/f/v/.zarray`);
      await res.body?.cancel();
      if (res.headers.get("etag") !== etag) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    delays.push(performance.now() - written);
  }
  console.log(
    `write -> seen: median ${median(delays).toFixed(0)} ms, max ${
      Math.max(...delays).toFixed(0)
    } ms (${delays.length} writes)`,
  );
  controller.abort();
  await server.finished;

  // 3. A directory of many files: listed at once, opened on first request, LRU-bounded.
  const tree = `${dir}/tree`;
  const bytes = await Deno.readFile(path);
  for (let i = 0; i < nFiles; i++) {
    if (i % 100 === 0) await Deno.mkdir(`${tree}/d${i / 100}`, { recursive: true });
    await Deno.writeFile(`${tree}/d${Math.floor(i / 100)}/f${i}.nc`, bytes);
  }
  const before = Deno.memoryUsage().rss, heapBefore = heap();
  const c2 = new AbortController();
  const s2 = serve([liveDirectory(tree)], {
    port: 0,
    signal: c2.signal,
    onListen: (u) => (base = u),
  });
  t = performance.now();
  const listing = await (await fetch(`${base}/`, { headers: { accept: "application/json" } }))
    .json();
  const listMs = performance.now() - t;
  const listed = Deno.memoryUsage().rss, heapListed = heap();
  t = performance.now();
  for (let i = 0; i < 400; i++) {
    const res = await fetch(`${base}/d${Math.floor(i / 100)}/f${i}/v/0.0`);
    if (!res.ok) throw new Error(`${res.status}`);
    await res.arrayBuffer();
  }
  const openMs = (performance.now() - t) / 400;
  console.log(
    `${listing.datasets.length} files: listed in ${listMs.toFixed(0)} ms; RSS ${mb(before)} -> ${
      mb(listed)
    } listed (JS heap +${mb(heapListed - heapBefore)}), ` +
      `${mb(Deno.memoryUsage().rss)} after opening 400 (LRU keeps 256; ${
        openMs.toFixed(1)
      } ms a first request)`,
  );
  c2.abort();
  await s2.finished;
} finally {
  await Deno.remove(dir, { recursive: true });
}
