/** Templated datasets: generated chunks, chunks located by a naming pattern, 10^9 chunks. */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { template } from "../src/sources/virtual/template.ts";
import { withServer, withTempDir } from "./helpers.ts";

Deno.test("a template with 10^9 chunks serves metadata and any chunk without enumerating", async () => {
  let generated = 0;
  const ds = template("huge", {
    dims: { time: 1_000_000_000, x: 4 },
    attrs: { title: "never enumerated" },
    variables: {
      time: {
        dims: ["time"],
        dtype: "float64",
        chunks: [1],
        attrs: { units: "seconds since 2000-01-01" },
        chunk: ({ start }) => new Float64Array([start[0]]),
      },
      signal: {
        dims: ["time", "x"],
        dtype: "float32",
        chunks: [1, 4],
        chunk: ({ start }) => {
          generated++;
          return Float32Array.from({ length: 4 }, (_, i) => (start[0] % 1000) + i / 10);
        },
      },
    },
  });
  await withServer([ds], async (base) => {
    const meta = await (await fetch(`${base}/huge/.zmetadata`)).json();
    assert.deepEqual(meta.metadata["signal/.zarray"].shape, [1_000_000_000, 4]);
    const root = await (await fetch(`${base}/huge/`, { headers: { accept: "application/json" } }))
      .json();
    assert.deepEqual(root.keys.filter((k: string) => !k.startsWith(".") && k !== "zarr.json"), [
      "time/",
      "signal/",
    ]);
    const arr = await zarr.open.v3(
      zarr.root(new zarr.FetchStore(`${base}/huge`)).resolve("signal"),
      {
        kind: "array",
      },
    );
    const far = await zarr.get(arr, [999_999_998, null]);
    assert.deepEqual(
      Array.from(far.data as Float32Array),
      [998, 998.1, 998.2, 998.3].map(Math.fround),
    );
    assert.equal(generated, 1, "only the chunk asked for was generated");
    const past = await fetch(`${base}/huge/signal/1000000000.0`);
    await past.body?.cancel();
    assert.equal(past.status, 404);
  });
});

Deno.test("chunks located by a file-name pattern; missing ones are fill or 404", async () => {
  await withTempDir(async (dir) => {
    // tiles/<row>_<col>.f32 exist for some chunks only
    await Deno.mkdir(`${dir}/tiles`);
    for (const [r, c] of [[0, 0], [1, 1]]) {
      const tile = Float32Array.from({ length: 4 }, (_, i) => r * 10 + c + i / 10);
      await Deno.writeFile(`${dir}/tiles/${r}_${c}.f32`, new Uint8Array(tile.buffer));
    }
    const tiles = (missing: "fill" | "404") =>
      template(`tiles_${missing}`, {
        dims: { y: 4, x: 4 },
        missing,
        variables: {
          z: {
            dims: ["y", "x"],
            dtype: "float32",
            chunks: [2, 2],
            fillValue: -1,
            chunk: async ({ coords }) => {
              try {
                const bytes = await Deno.readFile(`${dir}/tiles/${coords[0]}_${coords[1]}.f32`);
                return new Float32Array(bytes.buffer);
              } catch (e) {
                if (e instanceof Deno.errors.NotFound) return undefined;
                throw e;
              }
            },
          },
        },
      });
    await withServer([tiles("fill"), tiles("404")], async (base) => {
      const fill = await fetch(`${base}/tiles_fill/z/0.1`);
      await fill.body?.cancel();
      assert.equal(fill.status, 200, "a missing tile is a chunk of fill values");
      const gone = await fetch(`${base}/tiles_404/z/0.1`);
      await gone.body?.cancel();
      assert.equal(gone.status, 404, "or a 404, as the template says");
      for (const name of ["tiles_fill", "tiles_404"]) {
        const arr = await zarr.open.v2(
          zarr.root(new zarr.FetchStore(`${base}/${name}`)).resolve("z"),
          {
            kind: "array",
          },
        );
        const { data } = await zarr.get(arr);
        const want = [0, 0.1, -1, -1, 0.2, 0.3, -1, -1, -1, -1, 11, 11.1, -1, -1, 11.2, 11.3];
        assert.deepEqual(Array.from(data as Float32Array), want.map(Math.fround), name);
      }
    });
  });
});

Deno.test("templates name their mistakes", () => {
  const chunk = () => undefined;
  assert.throws(
    () =>
      template("t", {
        dims: {},
        variables: { v: { dims: ["q"], dtype: "float32", chunks: [1], chunk } },
      }),
    /template v: dimension "q" has no size/,
  );
  assert.throws(
    () =>
      template("t", {
        dims: { q: 3 },
        variables: { v: { dims: ["q"], dtype: "float32", chunks: [0], chunk } },
      }),
    /template v: chunks 0 do not fit/,
  );
});
