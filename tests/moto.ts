/**
 * A local S3 store for tests and benchmarks: moto_server (it checks SigV4 signatures) on a free
 * loopback port, with test credentials in the AWS_* variables while it runs.
 */

/** A running moto_server. */
export interface Moto {
  /** Its endpoint URL. */
  endpoint: string;
  /** Stops it and restores the AWS_* variables. */
  stop(): Promise<void>;
}

/** Starts moto_server and waits until it answers. */
export async function startMoto(secret = "zarrflask-test-secret"): Promise<Moto> {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  const endpoint = `http://127.0.0.1:${port}`;
  const proc = new Deno.Command("moto_server", {
    args: ["-H", "127.0.0.1", "-p", String(port)],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const vars = {
    AWS_ACCESS_KEY_ID: "zarrflask-test",
    AWS_SECRET_ACCESS_KEY: secret,
    AWS_REGION: "us-east-1",
  };
  const saved = Object.keys(vars).map((k) => [k, Deno.env.get(k)] as const);
  for (const [k, v] of Object.entries(vars)) Deno.env.set(k, v);
  const stop = async () => {
    for (const [k, v] of saved) v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
    proc.kill();
    await proc.status;
  };
  for (let i = 0; i < 100; i++) {
    try {
      await (await fetch(endpoint)).body?.cancel();
      return { endpoint, stop };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await stop();
  throw new Error("moto_server never answered");
}
