/**
 * The published package runs on its own: the files `deno publish` would upload, copied away
 * from the checkout, serve a file through `mod.ts` (as `deno run jsr:@zf/zarrflask` does), with
 * the transcoding worker and the pages' files loaded from the package itself.
 */
import assert from "node:assert/strict";
import { dirname, join, relative } from "node:path";
import { withTempDir } from "./helpers.ts";
import { needs, pathFrom, PYTHON, pythonHas, run } from "./setup.ts";

const root = pathFrom(import.meta.url)("..");
const ignore = await needs("package test", pythonHas("netCDF4"), "python3-netcdf4 (Debian)");

Deno.test({
  name: "the published file set serves on its own (worker and page files included)",
  ignore,
  async fn() {
    const dry = await new Deno.Command(Deno.execPath(), {
      args: ["publish", "--dry-run", "--allow-dirty"],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(dry.stdout) + new TextDecoder().decode(dry.stderr);
    assert.equal(dry.code, 0, text);
    const files = [...text.matchAll(/file:\/\/(\S+) \(/g)].map((m) => decodeURIComponent(m[1]));
    const rel = files.map((f) => relative(root, f));
    assert.ok(rel.includes("LICENSE") && rel.includes("mod.ts"), rel.join(" "));
    assert.ok(rel.includes("src/zarr/transcode_worker.ts"));
    assert.ok(!rel.some((f) => f.startsWith("tests/") || f.startsWith("bench/")));
    await withTempDir(async (dir) => {
      const pkg = join(dir, "pkg");
      for (const f of rel) {
        await Deno.mkdir(dirname(join(pkg, f)), { recursive: true });
        await Deno.copyFile(join(root, f), join(pkg, f));
      }
      const w = await run(PYTHON, [
        join(root, "tests/interop/write_small.py"),
        `${dir}/s.nc`,
        "3",
        "shuffle",
      ]);
      assert.equal(w.code, 0, w.out);
      const proc = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          join(pkg, "mod.ts"),
          "serve",
          "--port",
          "0",
          "--parallel",
          "1",
          "--passthrough",
          "compat",
          "--codec",
          "none",
          `s=${dir}/s.nc`,
        ],
        cwd: pkg,
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const reader = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
      let out = "";
      try {
        while (!/at (http:\S+)\//.test(out)) {
          const { value, done } = await reader.read();
          if (done) {
            const err = new TextDecoder().decode(await new Response(proc.stderr).arrayBuffer());
            throw new Error(`server ended: ${out}${err}`);
          }
          out += value;
        }
        const base = /at (http:\S+)\//.exec(out)![1];
        // shuffle is not in the compat view: the chunk is transcoded by the package's worker.
        const chunk = await fetch(`${base}/s/v/0`);
        assert.equal(chunk.status, 200);
        assert.equal(chunk.headers.get("x-zarrflask-chunk"), "transcoded");
        assert.deepEqual([...new Float32Array(await chunk.arrayBuffer())], Array(8).fill(3));
        const js = await fetch(`${base}/_zarrflask/page.js`);
        assert.equal(js.status, 200);
        assert.match(await js.text(), /dataset\.api/);
      } finally {
        proc.kill("SIGTERM");
        await proc.status;
        await proc.stderr.cancel().catch(() => {});
        await reader.cancel().catch(() => {});
      }
    });
  },
});
