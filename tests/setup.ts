/**
 * Set-up shared by the test files, none of it a server: paths next to a test file, running a
 * tool, the probe that skips a test when a tool is missing (and fails it under CI), and the
 * small fakes the unit tests build on. Servers and temporary directories are in helpers.ts;
 * the client generations in interop/run.ts.
 */
import { fileURLToPath } from "node:url";
import type { ArrayNode, GroupNode, Node } from "../src/model/types.ts";

/**
 * A resolver of paths relative to the module at `importMetaUrl`:
 * `const here = pathFrom(import.meta.url); here("./make.py")`.
 */
export function pathFrom(importMetaUrl: string): (name: string) => string {
  return (name) => fileURLToPath(new URL(name, importMetaUrl));
}

/** Debian's Python, which has the clients and writers (the `python3` on PATH may not). */
export const PYTHON = "/usr/bin/python3";

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

/** Whether `cmd args` starts and exits 0. */
export async function works(cmd: string, args: string[]): Promise<boolean> {
  return (await run(cmd, args)).code === 0;
}

/** The last line of `text`: what a traceback says went wrong. */
export function lastLine(text: string): string {
  return text.trim().split("\n").at(-1) ?? "";
}

/**
 * Probe answers (null: present; else what is missing) kept for the rest of the `deno test`
 * process. Each test file runs in its own isolate but all share the process's environment, so
 * a probe (a Python start, 1-3 s) runs once a run instead of once a file.
 */
const PROBES = "ZARRFLASK_TEST_PROBES";

function remembered(): Record<string, string | null> {
  try {
    return JSON.parse(Deno.env.get(PROBES) ?? "{}");
  } catch {
    return {};
  }
}

function remember(answers: Record<string, string | null>): void {
  Deno.env.set(PROBES, JSON.stringify({ ...remembered(), ...answers }));
}

/** `probe()`'s answer under `key`, asked once a test run. */
export async function probeOnce(
  key: string,
  probe: () => Promise<string | null>,
): Promise<string | null> {
  const known = remembered();
  if (key in known) return known[key];
  const answer = await probe();
  remember({ [key]: answer });
  return answer;
}

const IMPORT_EACH = `
import importlib, json, sys
out = {}
for m in sys.argv[1:]:
    try:
        importlib.import_module(m)
        out[m] = None
    except BaseException as e:
        out[m] = type(e).__name__ + ": " + str(e)
print(json.dumps(out))
`;

/**
 * Null when the Python that `python` runs (named `name`, e.g. a generation) imports every one
 * of `modules` ("netCDF4, h5py"), else why the first that fails does not. Each module is tried
 * once a test run; those not yet tried are tried together in one Python.
 */
export async function importProblem(
  name: string,
  python: (args: string[]) => Promise<RunResult>,
  modules: string,
): Promise<string | null> {
  const key = (m: string) => `${name}: import ${m}`;
  const wanted = modules.split(",").map((m) => m.trim()).filter((m) => m !== "");
  let known = remembered();
  const untried = wanted.filter((m) => !(key(m) in known));
  if (untried.length > 0) {
    const res = await python(["-c", IMPORT_EACH, ...untried]);
    let said: Record<string, string | null> = {};
    try {
      said = JSON.parse(lastLine(res.stdout));
    } catch {
      // Python itself did not run: each module is missing for the reason it printed.
    }
    const why = lastLine(res.out) || `exit code ${res.code}`;
    remember(Object.fromEntries(untried.map((m) => [key(m), m in said ? said[m] : why])));
    known = remembered();
  }
  for (const m of wanted) if (known[key(m)] !== null) return known[key(m)];
  return null;
}

/** Whether {@link PYTHON} (Debian 12's) imports every one of `modules` ("netCDF4, h5py"). */
export async function pythonHas(modules: string): Promise<boolean> {
  return await importProblem("debian12", (args) => run(PYTHON, args), modules) === null;
}

/**
 * A test's `ignore` for something that may be missing: true when it is missing and this is not
 * CI (under CI the test runs, and fails), printing `message` then.
 */
export function skipUnlessCI(missing: boolean, message: string): boolean {
  const ignore = missing && !Deno.env.get("CI");
  if (ignore) console.log(message);
  return ignore;
}

/**
 * A test's `ignore` for a tool it needs: true when `present` is false and this is not CI,
 * printing `WHAT skipped: install HOW`. `const ignore = await needs("refs test",
 * pythonHas("h5py"), "python3-h5py (Debian)")`.
 */
export async function needs(
  what: string,
  present: boolean | Promise<boolean>,
  how: string,
): Promise<boolean> {
  return skipUnlessCI(!(await present), `${what} skipped: install ${how}`);
}

/** A fake array node for unit tests: metadata only, reading a chunk throws. */
export function fakeArray(shape: number[], chunks: number[] = shape): ArrayNode {
  return {
    kind: "array",
    shape,
    chunks,
    dtype: { kind: "uint", size: 1 },
    dims: shape.map((_, i) => `d${i}`),
    attrs: {},
    fillValue: 0,
    readChunk: () => {
      throw new Error("a fake array has no chunks");
    },
  };
}

/** A fake group node for unit tests, its children in the order given. */
export function fakeGroup(children: Record<string, Node>): GroupNode {
  return { kind: "group", attrs: {}, children: new Map(Object.entries(children)) };
}
