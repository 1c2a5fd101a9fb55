/** Running the real clients (/usr/bin/python3, gdalinfo) from the interop tests. */

/** Debian's Python, which has the clients and writers (the `python3` on PATH may not). */
export const PYTHON = "/usr/bin/python3";

/** Runs `cmd` to the end; a missing command is code -1, never a throw. */
export async function run(
  cmd: string,
  args: string[],
): Promise<{ code: number; out: string; stdout: string }> {
  try {
    const res = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
    const text = new TextDecoder();
    const stdout = text.decode(res.stdout);
    return { code: res.code, out: stdout + text.decode(res.stderr), stdout };
  } catch (e) {
    return { code: -1, out: String(e), stdout: "" };
  }
}
