/**
 * How long a file rewritten in place answers 503: a netCDF4-python append of records, and an
 * h5py rewrite of the whole file ("w"), each repeated, while one client asks for a chunk in a
 * tight loop. Prints each write's own duration and the 503 windows the client saw.
 *
 * usage: deno run -A bench/inplace.ts [REPEATS] [--interval SECS]
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

const { values, positionals } = parseArgs({
  args: Deno.args,
  options: { interval: { type: "string", default: "1" } },
  allowPositionals: true,
});
const repeats = Number(positionals[0] ?? 10);
const PYTHON = "/usr/bin/python3";
const cli = fileURLToPath(new URL("../cli.ts", import.meta.url));

// One write of kind `append` (netCDF4-python, 20 records of 721 x 1440) or `rewrite` (h5py, the
// whole file); prints how long it took.
const WRITER = `
import sys, time, numpy as np
path, kind, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
t = time.perf_counter()
if kind == "rewrite":
    import h5py
    with h5py.File(path, "w") as f:
        f.create_dataset("v", data=np.full((40, 721, 1440), k, "f4"), chunks=(1, 721, 1440),
                         compression="gzip", shuffle=True, maxshape=(None, 721, 1440))
else:
    import netCDF4
    if k == 0:
        nc = netCDF4.Dataset(path, "w"); nc.createDimension("time", None)
        nc.createDimension("y", 721); nc.createDimension("x", 1440)
        nc.createVariable("v", "f4", ("time", "y", "x"), zlib=True, shuffle=True,
                          chunksizes=(1, 721, 1440))
    else:
        nc = netCDF4.Dataset(path, "a")
    v = nc["v"]; n = v.shape[0]; v[n:n + 20] = np.full((20, 721, 1440), k, "f4"); nc.close()
print(f"{(time.perf_counter() - t) * 1000:.0f}")
`;

async function write(path: string, kind: string, k: number): Promise<number> {
  const out = await new Deno.Command(PYTHON, { args: ["-c", WRITER, path, kind, String(k)] })
    .output();
  if (out.code !== 0) throw new Error(new TextDecoder().decode(out.stderr));
  return Number(new TextDecoder().decode(out.stdout));
}

for (const kind of ["append", "rewrite"]) {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/f.${kind === "rewrite" ? "h5" : "nc"}`;
  await write(path, kind, 0);
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  const server = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cli, "serve", "--port", String(port), "--interval", values.interval!, path],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const url = `http://127.0.0.1:${port}/f/v/c/0/0/0`;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(url);
      await r.body?.cancel();
      if (r.ok) break;
    } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  let polling = true;
  const windows: number[] = [];
  const statuses = new Map<number, number>();
  const poller = (async () => {
    let since: number | undefined;
    while (polling) {
      const r = await fetch(url);
      await r.body?.cancel();
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      const now = performance.now();
      if (r.status === 503) since ??= now;
      else if (since !== undefined) {
        windows.push(now - since);
        since = undefined;
      }
    }
  })();
  const writes: number[] = [];
  for (let k = 1; k <= repeats; k++) {
    writes.push(await write(path, kind, k));
    await new Promise((r) => setTimeout(r, 1500));
  }
  polling = false;
  await poller;
  server.kill("SIGTERM");
  await server.status;
  await Deno.remove(dir, { recursive: true });
  const ms = (xs: number[]) =>
    xs.length ? `median ${median(xs).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms` : "none";
  console.log(
    `${kind === "append" ? "netCDF4-python append (20 records)" : "h5py rewrite (40 fields)"}: ` +
      `write ${ms(writes)}; 503 windows ${windows.length} of ${repeats} writes, ${ms(windows)}; ` +
      `answers ${[...statuses].map(([s, n]) => `${s}: ${n}`).join(", ")}`,
  );
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
