/**
 * Running the real clients from the interop tests, in both generations: Debian 12's (xarray
 * 2023.01, zarr-python 2.13, GDAL 3.6) and today's (Debian sid through
 * ../shared/tools/modern-clients: xarray 2026, zarr-python 3.4, GDAL 3.13, kerchunk).
 */
import { fileURLToPath } from "node:url";

/** Debian's Python, which has the clients and writers (the `python3` on PATH may not). */
export const PYTHON = "/usr/bin/python3";

/** The script that runs a command among today's clients (a Debian sid root). */
export const MODERN_CLIENTS = fileURLToPath(
  new URL("../../../shared/tools/modern-clients", import.meta.url),
);

/** What a finished command printed and how it ended. */
export interface RunResult {
  /** Exit code; -1 when the command could not start. */
  code: number;
  /** Standard output then standard error. */
  out: string;
  /** Standard output alone. */
  stdout: string;
}

/** Runs `cmd` to the end; a missing command is code -1, never a throw. */
export async function run(cmd: string, args: string[]): Promise<RunResult> {
  try {
    const res = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
    const text = new TextDecoder();
    const stdout = text.decode(res.stdout);
    return { code: res.code, out: stdout + text.decode(res.stderr), stdout };
  } catch (e) {
    return { code: -1, out: String(e), stdout: "" };
  }
}

/** One generation of clients: how to run its Python and its GDAL tools. */
export interface Generation {
  /** "debian12" or "today", for test names. */
  readonly name: string;
  /** Runs a Python script (or `-c`) with this generation's clients. */
  python(args: string[]): Promise<RunResult>;
  /** Runs a GDAL command-line tool (gdalinfo, gdalmdiminfo) of this generation. */
  tool(name: string, args: string[]): Promise<RunResult>;
}

/** Debian 12's clients, on this machine. */
export const DEBIAN12: Generation = {
  name: "debian12",
  python: (args) => run(PYTHON, args),
  tool: (name, args) => run(name, args),
};

/** Today's clients, inside the Debian sid root that modern-clients builds. */
export const TODAY: Generation = {
  name: "today",
  python: (args) => run(MODERN_CLIENTS, ["run", "python3", ...args]),
  tool: (name, args) => run(MODERN_CLIENTS, ["run", name, ...args]),
};

/** Both generations, oldest first. */
export const GENERATIONS: readonly Generation[] = [DEBIAN12, TODAY];

/**
 * Whether `gen` can run: its Python imports `modules` and, when asked, GDAL answers.
 * Null when ready, else what is missing.
 */
export async function missingIn(
  gen: Generation,
  modules: string,
  gdal = false,
): Promise<string | null> {
  const py = await gen.python(["-c", `import ${modules}`]);
  if (py.code !== 0) return `${gen.name}: python cannot import ${modules}: ${lastLine(py.out)}`;
  if (gdal) {
    const g = await gen.tool("gdalinfo", ["--version"]);
    if (g.code !== 0) return `${gen.name}: no gdalinfo: ${lastLine(g.out)}`;
  }
  return null;
}

/**
 * The generations a test file runs. Under CI every generation must be there (a missing one
 * fails the test); elsewhere a missing one is skipped with a message saying how to get it.
 */
export async function generationsFor(
  what: string,
  modules: string,
  gdal = false,
): Promise<{ gen: Generation; ignore: boolean }[]> {
  const out = [];
  for (const gen of GENERATIONS) {
    const missing = await missingIn(gen, modules, gdal);
    const ignore = missing !== null && !Deno.env.get("CI");
    if (ignore) {
      const how = gen === TODAY
        ? "../shared/tools/modern-clients setup"
        : "the Debian packages in .ci/run";
      console.log(`${what} (${gen.name}) skipped: ${missing}; install with ${how}`);
    }
    out.push({ gen, ignore });
  }
  return out;
}

function lastLine(text: string): string {
  return text.trim().split("\n").at(-1) ?? "";
}
