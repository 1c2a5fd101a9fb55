/**
 * Requests and bytes to open files over HTTP (a range server in its own process), and chunk
 * MB/s through zarrflask against the same range reads made directly.
 *
 * usage: deno run -A bench/remote_open.ts DIR FILE...   (e.g. bench/.data climate_small.nc)
 */
import { openFile } from "../mod.ts";
import { remoteServer } from "../tests/remote_server.ts";
import { withServer } from "../tests/helpers.ts";

const [dir, ...files] = Deno.args;
const srv = await remoteServer(dir);
try {
  for (const file of files) {
    const size = (await Deno.stat(`${dir}/${file}`)).size;
    await srv.take();
    const t0 = performance.now();
    const ds = await openFile(`${srv.base}/${file}`);
    const ms = performance.now() - t0;
    const { requests, bytes } = await srv.take();
    console.log(
      `${file}: opened in ${ms.toFixed(0)} ms with ${requests[`/${file}`]} requests, ` +
        `${(bytes / 1e6).toFixed(2)} MB of ${(size / 1e6).toFixed(0)} MB ` +
        `(${(100 * bytes / size).toFixed(3)} %)`,
    );
    // Every chunk of the first 3-D variable, 4 at a time, through zarrflask.
    await withServer([ds], async (base) => {
      const meta = await (await fetch(`${base}/${ds.name}/.zmetadata`)).json();
      const name = Object.keys(meta.metadata).find((k) =>
        k.endsWith("/.zarray") && meta.metadata[k].shape.length === 3
      )!.replace("/.zarray", "");
      const za = meta.metadata[`${name}/.zarray`];
      const grid = za.shape.map((n: number, i: number) => Math.ceil(n / za.chunks[i]));
      const keys: string[] = [];
      for (let a = 0; a < grid[0]; a++) {
        for (let b = 0; b < grid[1]; b++) {
          for (let c = 0; c < grid[2]; c++) keys.push(`${a}.${b}.${c}`);
        }
      }
      const t1 = performance.now();
      let sent = 0;
      for (let i = 0; i < keys.length; i += 4) {
        const got = await Promise.all(
          keys.slice(i, i + 4).map(async (k) => {
            const r = await fetch(`${base}/${ds.name}/${name}/${k}`, {
              headers: { "user-agent": "bench" },
            });
            return (await r.arrayBuffer()).byteLength;
          }),
        );
        sent += got.reduce((x, y) => x + y, 0);
      }
      const s = (performance.now() - t1) / 1000;
      const { requests: r2 } = await srv.take();
      console.log(
        `  ${name}: ${keys.length} chunks, ${(sent / 1e6).toFixed(0)} MB in ${s.toFixed(2)} s = ` +
          `${(sent / 1e6 / s).toFixed(0)} MB/s through zarrflask (${
            r2[`/${file}`]
          } range requests)`,
      );
    });
    // The same bytes read directly: ranges of the same total size, 4 at a time.
    const per = 2 << 20, n = 64;
    const t2 = performance.now();
    let got = 0;
    for (let i = 0; i < n; i += 4) {
      const parts = await Promise.all(Array.from({ length: 4 }, async (_, k) => {
        const off = ((i + k) * per) % Math.max(1, size - per);
        const r = await fetch(`${srv.base}/${file}`, {
          headers: { range: `bytes=${off}-${off + per - 1}` },
        });
        return (await r.arrayBuffer()).byteLength;
      }));
      got += parts.reduce((x, y) => x + y, 0);
    }
    const s2 = (performance.now() - t2) / 1000;
    console.log(`  direct range reads of 2 MiB, 4 at a time: ${(got / 1e6 / s2).toFixed(0)} MB/s`);
    await ds.close?.();
  }
} finally {
  await srv.close();
  Deno.exit(0);
}
