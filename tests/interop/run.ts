/**
 * Running the real clients from the interop tests, in both generations: Debian 12's (xarray
 * 2023.01, zarr-python 2.13, GDAL 3.6) and today's (Debian sid through
 * ../shared/tools/modern-clients: xarray 2026, zarr-python 3.4, GDAL 3.13, kerchunk).
 */
import {
  importProblem,
  lastLine,
  pathFrom,
  probeOnce,
  PYTHON,
  run,
  type RunResult,
  skipUnlessCI,
} from "../setup.ts";

export { PYTHON, run, type RunResult };

/** The script that runs a command among today's clients (a Debian sid root). */
export const MODERN_CLIENTS = pathFrom(import.meta.url)("../../../shared/tools/modern-clients");

/** How to get today's clients, for skip messages. */
export const MODERN_CLIENTS_SETUP = "../shared/tools/modern-clients setup";

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
  const py = await importProblem(gen.name, gen.python, modules);
  if (py !== null) return `${gen.name}: python cannot import ${modules}: ${py}`;
  if (gdal) {
    const g = await probeOnce(`${gen.name}: gdalinfo`, async () => {
      const res = await gen.tool("gdalinfo", ["--version"]);
      return res.code === 0 ? null : lastLine(res.out);
    });
    if (g !== null) return `${gen.name}: no gdalinfo: ${g}`;
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
    const how = gen === TODAY ? MODERN_CLIENTS_SETUP : "the Debian packages in .ci/run";
    const ignore = skipUnlessCI(
      missing !== null,
      `${what} (${gen.name}) skipped: ${missing}; install with ${how}`,
    );
    out.push({ gen, ignore });
  }
  return out;
}

/**
 * Runs the Python `script` with `args` under each of `readers` in turn (in order: Debian 12's
 * first, whose run may save what today's compares against), printing what each says (without
 * its `ok` lines unless `okLines`); the names of those that failed or did not print `passed`.
 */
export async function failedUnder(
  readers: readonly Generation[],
  script: string,
  args: string[],
  passed: RegExp,
  okLines = false,
): Promise<string[]> {
  const failed: string[] = [];
  for (const gen of readers) {
    const res = await gen.python([script, ...args]);
    const shown = okLines
      ? res.out
      : res.out.split("\n").filter((l) => !l.startsWith("ok")).join("\n");
    console.log(`--- ${gen.name}: ${script.split("/").at(-1)}\n${shown}`);
    if (res.code !== 0 || !passed.test(res.out)) failed.push(gen.name);
  }
  return failed;
}

/**
 * The generations of {@link generationsFor} that are there: those a test runs its checks
 * under, beside checks of its own (both under CI).
 */
export async function readersFor(
  what: string,
  modules: string,
  gdal = false,
): Promise<Generation[]> {
  return (await generationsFor(what, modules, gdal)).filter((g) => !g.ignore).map((g) => g.gen);
}
