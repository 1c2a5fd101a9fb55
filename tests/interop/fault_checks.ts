/** The fault sequence every remote-file test runs against a served live file `f` (variable v). */
import assert from "node:assert/strict";
import { locationVersion, openFile } from "../../src/sources/files.ts";
import { live } from "../../src/sources/live.ts";
import { withServer } from "../helpers.ts";

/** Sets faults on the range server (see tests/range_server.ts). */
export type SetFaults = (faults: Record<string, number | boolean>) => Promise<void> | void;

/**
 * Serves `url` live as "f" and checks: two 503s and a mid-body reset are retried (same bytes);
 * 503 forever answers 502 with the cause; after `rewrite()` the next request sees new values.
 * `more(base)` runs extra checks while it is served.
 */
export async function checkFaults(
  url: string,
  setFaults: SetFaults,
  rewrite: () => Promise<void>,
  more: (base: string) => Promise<void> = async () => {},
): Promise<void> {
  const ds = live({
    name: "f",
    source: url,
    version: () => locationVersion(url),
    open: () => openFile(url, { name: "f" }),
    intervalMs: 0,
  });
  await withServer([ds], async (base) => {
    const chunk = async () => {
      const r = await fetch(`${base}/f/v/0`, { headers: { "user-agent": "test" } });
      return { status: r.status, body: new Uint8Array(await r.arrayBuffer()) };
    };
    const good = await chunk();
    assert.equal(good.status, 200);
    await setFaults({ unavailable: 2 });
    assert.deepEqual(await chunk(), good);
    await setFaults({ drops: 1 });
    assert.deepEqual(await chunk(), good);
    // A store that keeps failing: 502 with the cause, never a 404 or garbage.
    await setFaults({ unavailable: 100 });
    const bad = await chunk();
    assert.equal(bad.status, 502);
    assert.match(new TextDecoder().decode(bad.body), /503 .*after 4 attempts/);
    await setFaults({ unavailable: 0 });
    // Re-uploaded with other values: the next request sees the new version.
    await new Promise((r) => setTimeout(r, 20));
    await rewrite();
    const fresh = await chunk();
    assert.equal(fresh.status, 200);
    assert.notDeepEqual(fresh.body, good.body);
    await more(base);
  });
}
