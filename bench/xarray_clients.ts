/** The xarray client generations the benchmarks read with, and one timed read. */
import { fileURLToPath } from "node:url";

/** What bench/xarray_read.py measured. */
export interface XarrayRead {
  full_s: number;
  step_s: number;
  bytes: number;
  client_cpu_s: number;
}

/** A generation of clients: Debian 12's Python, or today's (Debian sid through modern-clients). */
export interface Client {
  name: string;
  cmd: string;
  args: string[];
}

const PY = "/usr/bin/python3";
const MODERN = fileURLToPath(new URL("../../shared/tools/modern-clients", import.meta.url));
const READ = fileURLToPath(new URL("./xarray_read.py", import.meta.url));

/** The client generations here: Debian 12's always, today's when modern-clients is set up. */
export async function clients(): Promise<Client[]> {
  const out: Client[] = [{ name: "Debian 12", cmd: PY, args: [] }];
  const today = await new Deno.Command(MODERN, { args: ["run", "python3", "-c", "import xarray"] })
    .output().catch(() => null);
  if (today?.code === 0) out.push({ name: "today's", cmd: MODERN, args: ["run", "python3"] });
  else console.error("today's clients are not set up (modern-clients setup): Debian 12's only");
  return out;
}

/** One timed read of the store at `url` (`fullOnly`: no one-time-step read after it). */
export async function xarrayRead(
  url: string,
  client: Client,
  fullOnly = false,
): Promise<XarrayRead> {
  const out = await new Deno.Command(client.cmd, {
    args: [...client.args, READ, url, ...(fullOnly ? ["--full-only"] : [])],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (out.code !== 0) {
    throw new Error(`xarray_read.py ${url}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return JSON.parse(text.trim().split("\n").pop()!);
}
