/** Headless Chromium driven over the DevTools protocol, for the browser tests. */

/** Where Debian's Chromium is, or undefined when it is not installed. */
export function chromiumPath(): string | undefined {
  for (const p of ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]) {
    try {
      Deno.statSync(p);
      return p;
    } catch { /* next */ }
  }
  return undefined;
}

/** One page of a headless browser. */
export interface BrowserPage {
  /** Loads `url` and waits for the load event. */
  goto(url: string): Promise<void>;
  /** The value of a JavaScript expression (promises awaited). */
  evaluate<T>(expression: string): Promise<T>;
  /** A PNG screenshot of the viewport. */
  screenshot(): Promise<Uint8Array>;
  /** Every URL the page requested so far. */
  readonly requested: string[];
  /** Closes the browser. */
  close(): Promise<void>;
}

/** Starts headless Chromium with a fresh profile in `profileDir` and opens one page. */
export async function launch(binary: string, profileDir: string): Promise<BrowserPage> {
  const proc = new Deno.Command(binary, {
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-extensions",
      "--remote-debugging-address=127.0.0.1",
      "--remote-debugging-port=0",
      `--user-data-dir=${profileDir}`,
      "--window-size=1200,900",
      "about:blank",
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  // Chromium prints "DevTools listening on ws://..." on stderr once it is ready.
  const reader = proc.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  let wsUrl: string | undefined;
  while (!wsUrl) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`chromium exited before listening:\n${seen}`);
    seen += value;
    wsUrl = /DevTools listening on (ws:\/\/\S+)/.exec(seen)?.[1];
  }
  (async () => {
    while (!(await reader.read()).done) { /* drain */ }
  })();
  const ws = new WebSocket(wsUrl);
  await new Promise((ok, fail) => {
    ws.onopen = ok;
    ws.onerror = fail;
  });
  let nextId = 1;
  const pending = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
  const listeners: ((m: { method: string; params: Record<string, unknown> }) => void)[] = [];
  ws.onmessage = (ev) => {
    const msg = JSON.parse(ev.data);
    if (msg.id && pending.has(msg.id)) {
      const p = pending.get(msg.id)!;
      pending.delete(msg.id);
      if (msg.error) p.fail(new Error(msg.error.message));
      else p.ok(msg.result);
    } else if (msg.method) listeners.forEach((l) => l(msg));
  };
  const target: { session?: string } = {};
  const send = <T>(method: string, params: Record<string, unknown> = {}): Promise<T> =>
    new Promise((ok, fail) => {
      const id = nextId++;
      pending.set(id, { ok: ok as (v: unknown) => void, fail });
      ws.send(
        JSON.stringify({
          id,
          method,
          params,
          ...(target.session ? { sessionId: target.session } : {}),
        }),
      );
    });
  const { targetId } = await send<{ targetId: string }>("Target.createTarget", {
    url: "about:blank",
  });
  const { sessionId } = await send<{ sessionId: string }>("Target.attachToTarget", {
    targetId,
    flatten: true,
  });
  target.session = sessionId;
  const requested: string[] = [];
  listeners.push((m) => {
    if (m.method === "Network.requestWillBeSent") {
      requested.push((m.params.request as { url: string }).url);
    }
  });
  await send("Page.enable");
  await send("Network.enable");
  await send("Runtime.enable");
  return {
    requested,
    async goto(url) {
      const loaded = new Promise<void>((ok) =>
        listeners.push((m) => m.method === "Page.loadEventFired" && ok())
      );
      await send("Page.navigate", { url });
      await loaded;
    },
    async evaluate<T>(expression: string) {
      const r = await send<{ result: { value: T }; exceptionDetails?: { text: string } }>(
        "Runtime.evaluate",
        { expression, awaitPromise: true, returnByValue: true },
      );
      if (r.exceptionDetails) throw new Error(`in the page: ${JSON.stringify(r.exceptionDetails)}`);
      return r.result.value;
    },
    async screenshot() {
      const { data } = await send<{ data: string }>("Page.captureScreenshot", { format: "png" });
      return Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    },
    async close() {
      // Browser.close lets Chromium end its own child processes (which write to the profile)
      // before it exits; a kill would leave them writing while the profile is removed.
      target.session = undefined;
      const exited = proc.status;
      await Promise.race([send("Browser.close").catch(() => {}), exited]);
      const timer = setTimeout(() => {
        try {
          proc.kill("SIGKILL");
        } catch { /* gone */ }
      }, 5000);
      await exited;
      clearTimeout(timer);
      ws.close();
    },
  };
}
