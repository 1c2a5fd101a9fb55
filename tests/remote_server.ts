/** Starts tests/range_server_main.ts as a child process serving `dir`. */

/** The running range server process. */
export interface RemoteServer {
  base: string;
  /** Requests by path and bytes sent since the last call (which resets them). */
  take(): Promise<{ requests: Record<string, number>; bytes: number }>;
  faults(f: Record<string, number | boolean>): Promise<void>;
  close(): Promise<void>;
}

/** A range server in its own process. */
export async function remoteServer(dir: string): Promise<RemoteServer> {
  const proc = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./range_server_main.ts", import.meta.url).pathname, dir],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!/listening (\S+)/.test(out)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`range server ended: ${out}`);
    out += value;
  }
  const base = /listening (\S+)/.exec(out)![1];
  return {
    base,
    take: async () => await (await fetch(`${base}/_requests`, { method: "DELETE" })).json(),
    async faults(f) {
      await (await fetch(`${base}/_faults`, { method: "POST", body: JSON.stringify(f) })).text();
    },
    async close() {
      proc.kill();
      await proc.status;
      await reader.cancel().catch(() => {});
    },
  };
}
