/** Shared test helpers: a server on a free loopback port, temp dirs. */
import { type Servable, serve, type ServeOptions } from "../server.ts";

/** Runs `fn` against a server for `datasets` on 127.0.0.1, then shuts it down. */
export async function withServer<T>(
  datasets: Servable[],
  fn: (baseUrl: string) => Promise<T>,
  codec?: string,
  extra: Partial<ServeOptions> = {},
): Promise<T> {
  const controller = new AbortController();
  let base = "";
  const server = serve(datasets, {
    ...extra,
    port: 0,
    codec,
    signal: controller.signal,
    onListen: (url) => (base = url),
  });
  try {
    return await fn(base);
  } finally {
    controller.abort();
    await server.finished;
  }
}

/** A fresh temporary directory, removed after `fn`. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "zarrflask-test-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
