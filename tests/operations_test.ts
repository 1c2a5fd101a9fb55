/** Health, metrics, reserved names, tokens, HTTPS: what an operator relies on. */
import assert from "node:assert/strict";
import { demoClimate } from "../src/sources/virtual/demo_memory.ts";
import { memoryDataset } from "../src/sources/virtual/memory.ts";
import { withServer, withTempDir } from "./helpers.ts";

const renamed = (name: string) => ({ ...demoClimate(), name });

Deno.test("/health: datasets served and failing, without data", async () => {
  await withServer([demoClimate()], async (base) => {
    const res = await fetch(`${base}/health`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: "ok", datasets: 1, failing: 0, failures: [] });
  });
  const failures = [{ name: "broken", reason: "broken.nc: not a netCDF or HDF5 file" }];
  await withServer(
    [demoClimate()],
    async (base) => {
      const h = await (await fetch(`${base}/health`)).json();
      assert.equal(h.status, "degraded");
      assert.equal(h.failing, 1);
      assert.deepEqual(h.failures, failures);
    },
    undefined,
    { failures },
  );
});

Deno.test("/metrics: Prometheus text with requests, bytes, latency, chunks, gauges", async () => {
  await withServer([demoClimate()], async (base) => {
    for (const key of [".zmetadata", "air/0.0.0", "air/0.0.0", "air/9.9.9", "lat/0"]) {
      await (await fetch(`${base}/climate/${key}`)).arrayBuffer();
    }
    const res = await fetch(`${base}/metrics`);
    assert.match(res.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const line of text.trim().split("\n")) {
      if (line.startsWith("#")) assert.match(line, /^# (HELP|TYPE) \w+ .+/);
      else assert.match(line, /^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [\d.e+-]+$/, line);
    }
    const value = (series: string) => {
      const line = text.split("\n").find((l) => l.startsWith(`${series} `));
      assert.ok(line, `no ${series} in\n${text}`);
      return Number(line.split(" ").pop());
    };
    assert.equal(value('zarrflask_requests_total{kind="chunk",status="200"}'), 3);
    assert.equal(value('zarrflask_requests_total{kind="chunk",status="404"}'), 1);
    assert.equal(value('zarrflask_requests_total{kind="metadata",status="200"}'), 1);
    assert.ok(value('zarrflask_response_bytes_total{kind="chunk"}') > 1000);
    // The demo is memory data: encoded here once, then from the cache.
    assert.equal(value('zarrflask_chunks_total{origin="encoded"}'), 2);
    assert.equal(value('zarrflask_chunks_total{origin="cached"}'), 1);
    assert.equal(value('zarrflask_chunk_cache_requests_total{result="hit"}'), 1);
    assert.equal(value('zarrflask_request_duration_seconds_count{kind="chunk"}'), 4);
    assert.equal(value('zarrflask_request_duration_seconds_bucket{kind="chunk",le="+Inf"}'), 4);
    assert.ok(value("zarrflask_chunk_cache_bytes") > 0);
    assert.ok(value("process_resident_memory_bytes") > 1e6);
    assert.equal(value("zarrflask_transcode_queue_depth"), 0);
    assert.match(text, /zarrflask_open_files\{by="h5wasm"\} \d+/);
  });
});

Deno.test("health and metrics cannot be dataset names", async () => {
  for (const name of ["health", "metrics", "_zarrflask"]) {
    await assert.rejects(() => withServer([renamed(name)], () => Promise.resolve()), /reserved/);
  }
});

Deno.test("tokens: 401 with WWW-Authenticate, per-dataset tokens, listings, CORS", async () => {
  const open = { dataset: renamed("partner"), tokens: ["p-token"] };
  await withServer(
    [renamed("team"), open],
    async (base) => {
      const none = await fetch(`${base}/team/.zmetadata`);
      assert.equal(none.status, 401);
      assert.equal(none.headers.get("www-authenticate"), 'Bearer realm="zarrflask"');
      await none.body?.cancel();
      const auth = (t: string) => ({ headers: { authorization: `Bearer ${t}` } });
      const wrong = await fetch(`${base}/team/.zmetadata`, auth("nope"));
      assert.equal(wrong.status, 401);
      assert.match(wrong.headers.get("www-authenticate")!, /error="invalid_token"/);
      await wrong.body?.cancel();
      const ok = await fetch(`${base}/team/air/0.0.0`, auth("s3cret"));
      assert.equal(ok.status, 200);
      // What a token opened is the client's to keep, not a shared cache's.
      assert.match(ok.headers.get("cache-control")!, /^private/);
      await ok.body?.cancel();
      // The server's tokens read everything; a dataset's own only that one.
      for (
        const [token, name, status] of [["s3cret", "partner", 200], ["p-token", "partner", 200], [
          "p-token",
          "team",
          401,
        ]] as const
      ) {
        const r = await fetch(`${base}/${name}/.zgroup`, auth(token));
        assert.equal(r.status, status, `${token} on ${name}`);
        await r.body?.cancel();
      }
      const listed = async (t?: string) =>
        (await (await fetch(`${base}/`, t ? auth(t) : {})).json()).datasets.map((
          d: { name: string },
        ) => d.name);
      assert.deepEqual(await listed(), []);
      assert.deepEqual(await listed("p-token"), ["partner"]);
      assert.deepEqual(await listed("s3cret"), ["team", "partner"]);
      // Quick-looks are guarded as their dataset is.
      const look = await fetch(`${base}/_zarrflask/look/team/air`);
      assert.equal(look.status, 401);
      await look.body?.cancel();
      assert.equal((await fetch(`${base}/health`)).status, 200);
      const pre = await fetch(`${base}/team/.zgroup`, { method: "OPTIONS" });
      assert.match(pre.headers.get("access-control-allow-headers")!, /Authorization/);
      await pre.body?.cancel();
    },
    undefined,
    { tokens: ["s3cret"] },
  );
});

Deno.test("HTTPS with --cert/--key (tls option)", async () => {
  await withTempDir(async (dir) => {
    // A CA and a server certificate it signs (rustls refuses a self-signed end entity).
    const openssl = async (...args: string[]) => {
      const r = await new Deno.Command("openssl", { args, stdout: "null", stderr: "piped" })
        .output();
      assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
    };
    const subj = (cn: string) => ["-subj", `/CN=${cn}`];
    await openssl(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      ...subj("test CA"),
      "-keyout",
      `${dir}/ca.key`,
      "-out",
      `${dir}/ca.pem`,
    );
    await openssl(
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      ...subj("localhost"),
      "-keyout",
      `${dir}/key.pem`,
      "-out",
      `${dir}/server.csr`,
    );
    await Deno.writeTextFile(
      `${dir}/ext.cnf`,
      "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1\n",
    );
    await openssl(
      "x509",
      "-req",
      "-in",
      `${dir}/server.csr`,
      "-CA",
      `${dir}/ca.pem`,
      "-CAkey",
      `${dir}/ca.key`,
      "-CAcreateserial",
      "-days",
      "1",
      "-extfile",
      `${dir}/ext.cnf`,
      "-out",
      `${dir}/cert.pem`,
    );
    const ca = await Deno.readTextFile(`${dir}/ca.pem`);
    const cert = await Deno.readTextFile(`${dir}/cert.pem`);
    const key = await Deno.readTextFile(`${dir}/key.pem`);
    await withServer(
      [memoryDataset("m", { variables: {} })],
      async (base) => {
        assert.match(base, /^https:/);
        const client = Deno.createHttpClient({ caCerts: [ca] });
        const res = await fetch(`${base}/m/.zgroup`, { client });
        assert.deepEqual(await res.json(), { zarr_format: 2 });
        client.close();
      },
      undefined,
      { tls: { cert, key } },
    );
  });
});
