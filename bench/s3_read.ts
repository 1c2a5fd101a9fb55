/**
 * Chunk MB/s from a local S3 server (moto_server, signed requests): every chunk of a variable
 * through zarrflask, against the same byte ranges (from /NAME/refs.json) fetched directly with
 * the same SigV4 signing, 4 at a time each.
 *
 * usage: deno run -A bench/s3_read.ts FILE.nc VARIABLE   (needs moto_server and python3-boto3)
 */
import { openFile, serve, setSourceDefaults } from "../mod.ts";
import { s3Fetch } from "../src/sources/bytes/s3.ts";
import { startMoto } from "../tests/moto.ts";

const [file, variable] = Deno.args;
const moto = await startMoto();
const endpoint = moto.endpoint;
try {
  const put = await new Deno.Command("/usr/bin/python3", {
    args: [
      new URL("../tests/interop/s3_put.py", import.meta.url).pathname,
      endpoint,
      "bench",
      file,
    ],
  }).output();
  if (put.code !== 0) throw new Error(new TextDecoder().decode(put.stderr));
  setSourceDefaults({ s3: { endpoint } });
  const name = file.split("/").pop()!;
  const t0 = performance.now();
  const ds = await openFile(`s3://bench/nc3/${name}`, { name: "d" });
  console.log(`opened s3://bench/nc3/${name} in ${(performance.now() - t0).toFixed(0)} ms`);
  const ac = new AbortController();
  let base = "";
  const server = serve([ds], { port: 0, signal: ac.signal, onListen: (u) => (base = u) });
  const ua = { headers: { "user-agent": "bench" } };
  const answer = await fetch(`${base}/d/refs.json`, ua);
  if (!answer.ok) throw new Error(`refs.json: ${await answer.text()}`);
  const refs = (await answer.json()).refs;
  const keys = Object.keys(refs).filter((k) =>
    k.startsWith(`${variable}/`) && Array.isArray(refs[k])
  );
  const run = async (one: (k: string) => Promise<number>) => {
    const t = performance.now();
    let bytes = 0;
    for (let i = 0; i < keys.length; i += 4) {
      bytes += (await Promise.all(keys.slice(i, i + 4).map(one))).reduce((a, b) => a + b, 0);
    }
    return { mbps: bytes / 1e6 / ((performance.now() - t) / 1000), bytes };
  };
  const via = await run(async (k) =>
    (await (await fetch(`${base}/d/${k}`, ua)).arrayBuffer()).byteLength
  );
  const signed = s3Fetch({ endpoint });
  const objectUrl = `${endpoint}/bench/nc3/${encodeURIComponent(name)}`;
  const direct = await run(async (k) => {
    const [, offset, size] = refs[k];
    const r = await signed(
      new Request(objectUrl, { headers: { range: `bytes=${offset}-${offset + size - 1}` } }),
    );
    return (await r.arrayBuffer()).byteLength;
  });
  console.log(
    `${variable}: ${keys.length} chunks, ${(via.bytes / 1e6).toFixed(0)} MB: ` +
      `${via.mbps.toFixed(0)} MB/s through zarrflask, ${direct.mbps.toFixed(0)} MB/s ` +
      `direct (same ranges, same signing)`,
  );
  ac.abort();
  await server.finished;
} catch (e) {
  console.error(`error: ${(e as Error).message}`);
} finally {
  await moto.stop();
  Deno.exit(0);
}
