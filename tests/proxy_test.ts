/**
 * deploy/nginx.conf as shipped, in front of two zarrflask processes: a second read comes from
 * the proxy's cache, ETags are equal across instances, revalidation answers 304, and a live
 * file's change reaches clients through the proxy. Skipped locally without Debian nginx.
 */
import assert from "node:assert/strict";
import { withTempDir } from "./helpers.ts";
import { needs, pathFrom, PYTHON, pythonHas, run, works } from "./setup.ts";

const here = pathFrom(import.meta.url);
const CLI = here("../cli.ts");
const ignore = await needs(
  "proxy test",
  await works("nginx", ["-v"]) && await pythonHas("netCDF4"),
  "nginx and python3-netcdf4 (Debian)",
);

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** A zarrflask process; resolves once it prints its address. */
async function zarrflask(args: string[]): Promise<{ base: string; proc: Deno.ChildProcess }> {
  const proc = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, "serve", "--port", "0", "--parallel", "1", ...args],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!/at (http:\S+)\//.test(out)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`zarrflask ended: ${out}`);
    out += value;
  }
  (async () => {
    while (!(await reader.read()).done) { /* drain */ }
  })();
  return { base: /at (http:\S+)\//.exec(out)![1], proc };
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(url);
      await r.body?.cancel();
      return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} never answered`);
}

Deno.test({
  name: "deploy/nginx.conf: proxy cache, equal ETags, 304, live changes through the proxy",
  ignore,
  async fn() {
    await withTempDir(async (dir) => {
      for (const [name, value] of [["frozen", "1"], ["live", "1"]]) {
        const w = await run(PYTHON, [here("./interop/write_small.py"), `${dir}/${name}.nc`, value]);
        assert.equal(w.code, 0, w.out);
      }
      await Deno.writeTextFile(
        `${dir}/datasets.json`,
        JSON.stringify({
          datasets: {
            frozen: { files: `${dir}/frozen.nc`, immutable: true },
            live: { files: `${dir}/live.nc` },
          },
        }),
      );
      const args = ["--config", `${dir}/datasets.json`, "--interval", "0.2", "--codec", "none"];
      const a = await zarrflask(args);
      const b = await zarrflask(args);
      const port = freePort();
      const shipped = await Deno.readTextFile(here("../deploy/nginx.conf"));
      const site = shipped
        .replace("server 127.0.0.1:8001;", `server ${new URL(a.base).host};`)
        .replace("server 127.0.0.1:8002;", `server ${new URL(b.base).host};`)
        .replace("listen 8080;", `listen 127.0.0.1:${port};`)
        .replace("/var/cache/nginx/zarrflask", `${dir}/cache`);
      assert.notEqual(site, shipped);
      await Deno.writeTextFile(`${dir}/site.conf`, site);
      await Deno.writeTextFile(
        `${dir}/nginx.conf`,
        `${Deno.uid() === 0 ? "user root;\n" : ""}worker_processes 1;\ndaemon off;\n` +
          `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n` +
          `  access_log off;\n  client_body_temp_path ${dir}/t; proxy_temp_path ${dir}/t;\n` +
          `  fastcgi_temp_path ${dir}/t; uwsgi_temp_path ${dir}/t; scgi_temp_path ${dir}/t;\n` +
          `  include ${dir}/site.conf;\n}\n`,
      );
      const nginx = new Deno.Command("nginx", {
        args: ["-c", `${dir}/nginx.conf`, "-p", dir],
        stdout: "null",
        stderr: "inherit",
      }).spawn();
      const proxy = `http://127.0.0.1:${port}`;
      const ua = { headers: { "user-agent": "Python/3.11 aiohttp/3.8.4" } };
      try {
        await waitFor(`${proxy}/health`);
        // The two instances answer with the same bytes and ETags.
        for (const key of ["frozen/.zmetadata", "frozen/v/0", "live/v/0"]) {
          const [ra, rb] = await Promise.all([a.base, b.base].map((u) => fetch(`${u}/${key}`, ua)));
          assert.equal(ra.headers.get("etag"), rb.headers.get("etag"), key);
          assert.deepEqual(
            new Uint8Array(await ra.arrayBuffer()),
            new Uint8Array(await rb.arrayBuffer()),
          );
        }
        // A fixed chunk: the second read is the proxy's.
        const first = await fetch(`${proxy}/frozen/v/0`, ua);
        await first.arrayBuffer();
        const second = await fetch(`${proxy}/frozen/v/0`, ua);
        assert.deepEqual([...new Float32Array(await second.arrayBuffer())], Array(8).fill(1));
        assert.equal(first.headers.get("x-cache-status"), "MISS");
        assert.equal(second.headers.get("x-cache-status"), "HIT");
        const etag = second.headers.get("etag")!;
        // Revalidation: from the cache, and through to zarrflask for metadata (never stored).
        for (const key of ["frozen/v/0", "live/.zmetadata"]) {
          const tag = key === "frozen/v/0"
            ? etag
            : (await fetch(`${proxy}/${key}`, ua).then(async (r) => {
              await r.arrayBuffer();
              return r.headers.get("etag")!;
            }));
          const again = await fetch(`${proxy}/${key}`, {
            headers: { ...ua.headers, "if-none-match": tag },
          });
          assert.equal(again.status, 304, key);
          await again.body?.cancel();
        }
        // A live file rewritten: clients see the new values through the proxy.
        const before = await fetch(`${proxy}/live/v/0`, ua);
        assert.deepEqual([...new Float32Array(await before.arrayBuffer())], Array(8).fill(1));
        assert.notEqual(before.headers.get("x-cache-status"), "HIT");
        const w = await run(PYTHON, [here("./interop/write_small.py"), `${dir}/live.nc`, "2"]);
        assert.equal(w.code, 0, w.out);
        let seen: number[] = [];
        for (let i = 0; i < 50 && seen[0] !== 2; i++) {
          await new Promise((r) => setTimeout(r, 100));
          const r = await fetch(`${proxy}/live/v/0`, ua);
          seen = r.ok ? [...new Float32Array(await r.arrayBuffer())] : (await r.body?.cancel(), []);
        }
        assert.deepEqual(seen, Array(8).fill(2));
      } finally {
        nginx.kill();
        await nginx.status;
        for (const z of [a, b]) {
          z.proc.kill("SIGTERM");
          await z.proc.status;
        }
      }
    });
  },
});
