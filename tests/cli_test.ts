/** The CLI as a user runs it: `deno run cli.ts serve|info`. */
import assert from "node:assert/strict";
import { parseTarget } from "../src/app/targets.ts";
import { writeNetcdfLike } from "./fixtures.ts";
import { withTempDir } from "./helpers.ts";
import { pathFrom } from "./setup.ts";

const here = pathFrom(import.meta.url);
const CLI = here("../cli.ts");

function cli(args: string[]): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-net", "--allow-env", "--allow-sys", CLI, ...args],
    stdout: "piped",
    stderr: "piped",
  });
}

async function output(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const res = await cli(args).output();
  const t = new TextDecoder();
  return { code: res.code, out: t.decode(res.stdout), err: t.decode(res.stderr) };
}

Deno.test("NAME=PATH targets", () => {
  assert.deepEqual(parseTarget("data/era5.nc"), { name: "era5", path: "data/era5.nc" });
  assert.deepEqual(parseTarget("t2=data/era5.nc"), { name: "t2", path: "data/era5.nc" });
  assert.deepEqual(parseTarget("dir/a=b.nc"), { name: "a=b", path: "dir/a=b.nc" });
});

Deno.test("--help on every command", async () => {
  for (const args of [["--help"], ["serve", "--help"], ["info", "--help"]]) {
    const { code, out } = await output(args);
    assert.equal(code, 0, args.join(" "));
    assert.match(out, /usage/);
  }
  assert.match((await output(["serve", "--help"])).out, /--codec/);
  assert.notEqual((await output(["frobnicate"])).code, 0);
});

Deno.test("info prints dims, variables, attributes and Zarr chunks", async () => {
  await withTempDir(async (dir) => {
    await writeNetcdfLike(`${dir}/f.nc`);
    const { code, out } = await output(["info", `${dir}/f.nc`]);
    assert.equal(code, 0);
    assert.match(out, /time = 5 ;/);
    assert.match(out, /float temp\(time, lat, lon\) ;\s+\/\/ zarr chunks \(2,3,4\)/);
    assert.match(out, /temp:units = "K" ;/);
    assert.match(out, /group: sub \{/);
    assert.match(out, /:Conventions = "CF-1.8" ;/);
  });
});

Deno.test("serve names a broken file and keeps serving the others", async () => {
  await withTempDir(async (dir) => {
    await writeNetcdfLike(`${dir}/good.nc`);
    await Deno.writeTextFile(`${dir}/broken.nc`, "garbage");
    const child = cli(["serve", "--port", "0", `${dir}/broken.nc`, `ok=${dir}/good.nc`]).spawn();
    try {
      const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
      let text = "";
      while (!text.includes("v2 only")) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
      const url = /xarray\.open_zarr\("([^"]+)"\)/.exec(text)?.[1];
      assert.ok(url, text);
      assert.match(url, /\/ok$/);
      const res = await fetch(`${url}/temp/.zarray`);
      assert.equal(res.status, 200);
      assert.deepEqual((await res.json()).chunks, [2, 3, 4]);
      const v2 = /v2 only \([^)]*\): (\S+)/.exec(text)?.[1];
      assert.equal(v2, url.replace(/\/ok$/, "/v2/ok"));
      const zgroup = await fetch(`${v2}/.zgroup`, { headers: { "user-agent": "aiohttp/3.8" } });
      assert.equal(zgroup.status, 200, "Python gets .zgroup at the v2 URL");
      await zgroup.body?.cancel();
      await reader.cancel();
    } finally {
      child.kill();
      const status = await child.status;
      const err = new TextDecoder().decode(
        (await new Response(child.stderr).arrayBuffer().catch(() =>
          new ArrayBuffer(0)
        )) as ArrayBuffer,
      );
      assert.match(err, /broken\.nc: not a netCDF or HDF5 file/);
      void status;
    }
  });
});

Deno.test("mod.ts run as the main module is the CLI (what jsr:@zf/zarrflask runs)", async () => {
  const mod = here("../mod.ts");
  const run = (args: string[]) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "--allow-net", "--allow-env", "--allow-sys", mod, ...args],
      stdout: "piped",
      stderr: "piped",
    }).output();
  const help = await run(["serve", "--help"]);
  assert.equal(help.code, 0);
  assert.match(new TextDecoder().decode(help.stdout), /usage[\s\S]*--codec/);
  assert.equal((await run(["frobnicate"])).code, 2);
  // Imported, it only exports: a script importing it ends at once and prints nothing.
  const importer = await new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import * as zf from ${JSON.stringify(new URL("../mod.ts", import.meta.url).href)};
      console.log(typeof zf.serve);`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(new TextDecoder().decode(importer.stdout).trim(), "function");
});

Deno.test("serve --log --token-file: a line per request; SIGTERM lets a request finish", async () => {
  await withTempDir(async (dir) => {
    const mod = new URL("../mod.ts", import.meta.url).href;
    await Deno.writeTextFile(
      `${dir}/slow.ts`,
      `import { template } from ${JSON.stringify(mod)};
export default template("slow", { dims: { x: 4 }, variables: { v: {
  dims: ["x"], dtype: "float32", chunks: [4],
  chunk: async () => { await new Promise((r) => setTimeout(r, 1500)); return new Float32Array(4).fill(7); },
} } });`,
    );
    await Deno.writeTextFile(`${dir}/tokens`, "# the team's token\nt0ken\n\n");
    const proc = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        CLI,
        "serve",
        "--port",
        "0",
        "--parallel",
        "1",
        "--codec",
        "none",
        "--log",
        "--config",
        `${dir}/slow.ts`,
        "--token-file",
        `${dir}/tokens`,
      ],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const lines = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    while (!/at (http:\S+)\//.test(out)) {
      const { value, done } = await lines.read();
      if (done) throw new Error(`server ended: ${out}`);
      out += value;
    }
    const base = /at (http:\S+)\//.exec(out)![1];
    const denied = await fetch(`${base}/slow/v/0`);
    assert.equal(denied.status, 401);
    await denied.body?.cancel();
    const inFlight = fetch(`${base}/slow/v/0`, { headers: { authorization: "Bearer t0ken" } });
    await new Promise((r) => setTimeout(r, 400));
    proc.kill("SIGTERM");
    const res = await inFlight;
    assert.equal(res.status, 200);
    assert.deepEqual([...new Float32Array(await res.arrayBuffer())], [7, 7, 7, 7]);
    const status = await proc.status;
    assert.equal(status.code, 0);
    for (;;) {
      const { value, done } = await lines.read();
      if (done) break;
      out += value;
    }
    assert.match(out, /Z GET \/slow\/v\/0 401 \d+ [\d.]+ms kind=chunk chunk=- cache=-/);
    assert.match(out, /Z GET \/slow\/v\/0 200 16 [\d.]+ms kind=chunk chunk=encoded cache=miss/);
    const err = new TextDecoder().decode(await new Response(proc.stderr).arrayBuffer());
    assert.match(err, /SIGTERM: finishing requests in flight/);
  });
});
