/**
 * The commands the README and docs/ show with their output — a ```sh block whose lines start
 * with `$ ` — run here and must print what the page shows. The port and the number of server
 * processes may differ; `...` in a line stands for any text, and a line of `...` alone for the
 * lines that follow. A server is run on a free port and stopped once it has printed the lines
 * shown. A command this file does not know how to run fails the test: add its runner here.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const pages = ["README.md", ...[...Deno.readDirSync(`${root}docs`)].map((e) => `docs/${e.name}`)]
  .filter((p) => p.endsWith(".md"));

interface Transcript {
  page: string;
  command: string;
  output: string[];
}

/** Every `$ command` in a ```sh block of `page`, with the lines it prints. */
function transcripts(page: string): Transcript[] {
  const text = Deno.readTextFileSync(`${root}${page}`);
  const found: Transcript[] = [];
  for (const block of text.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) {
    let current: Transcript | undefined;
    for (const line of block[1].replace(/\n$/, "").split("\n")) {
      if (line.startsWith("$ ")) {
        current = { page, command: line.slice(2).trim(), output: [] };
        found.push(current);
      } else if (current) current.output.push(line);
    }
  }
  return found;
}

const serveTask: string[] = JSON.parse(Deno.readTextFileSync(`${root}deno.json`)).tasks.serve
  .split(/\s+/).slice(1); // without the leading "deno"

/** What to run for a command, and whether it is a server (stopped once its lines are printed). */
function runner(command: string): { args: string[]; server: boolean } {
  const words = command.split(/\s+/);
  if (command.startsWith("deno task serve")) {
    const rest = words.slice(3);
    const port = rest.indexOf("--port");
    if (port >= 0) rest[port + 1] = "0";
    else rest.unshift("--port", "0");
    return { args: [...serveTask, ...rest], server: true };
  }
  if (command === "deno run -A examples/serve_my_data.ts") {
    return { args: [...words.slice(1), "0"], server: true };
  }
  if (command.startsWith("deno run -A cli.ts info ")) {
    return { args: words.slice(1), server: false };
  }
  throw new Error(`no runner for "${command}": add one to tests/docs_commands_test.ts`);
}

const normal = (line: string) =>
  line.replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT")
    .replace(/with \d+ server process(es)?/, "with N server processes");

/** Whether `line` is what the page shows as `want`. */
function matches(want: string, line: string): boolean {
  const pattern = normal(want).split("...").map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${pattern}$`).test(normal(line));
}

/** The lines the page shows, up to a line of `...` alone; and whether more may follow. */
function shown(output: string[]): { lines: string[]; open: boolean } {
  const stop = output.indexOf("...");
  return stop < 0 ? { lines: output, open: false } : { lines: output.slice(0, stop), open: true };
}

/** Runs a server until it has printed `count` lines of stdout (10 s at most), then stops it. */
async function serverLines(args: string[], count: number): Promise<string[]> {
  const proc = new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  const timer = setTimeout(() => proc.kill("SIGTERM"), 10_000);
  try {
    while (out.split("\n").length <= count) {
      const { value, done } = await reader.read();
      if (done) break;
      out += value;
    }
  } finally {
    clearTimeout(timer);
    try {
      proc.kill("SIGTERM");
    } catch { /* already ended */ }
    await reader.cancel().catch(() => {});
    await proc.stderr.cancel().catch(() => {});
    await proc.status;
  }
  return out.split("\n").slice(0, count);
}

const all = pages.flatMap(transcripts);

Deno.test("the docs show commands with their output", () => {
  // The quick start's demo, the three ways to serve your own data, and `info`.
  assert.ok(all.length >= 5, all.map((t) => `${t.page}: ${t.command}`).join("\n"));
  for (const t of all) runner(t.command);
});

for (const t of all) {
  Deno.test(`${t.page}: $ ${t.command}`, async () => {
    const { args, server } = runner(t.command);
    const { lines, open } = shown(t.output);
    assert.ok(lines.length > 0, "no output shown");
    let got: string[];
    if (server) {
      got = await serverLines(args, lines.length);
    } else {
      const res = await new Deno.Command(Deno.execPath(), { args, cwd: root }).output();
      const text = new TextDecoder().decode(res.stdout);
      assert.equal(res.code, 0, text + new TextDecoder().decode(res.stderr));
      got = text.replace(/\n$/, "").split("\n");
      if (!open) assert.equal(got.length, lines.length, `prints:\n${text}`);
    }
    lines.forEach((want, i) => {
      assert.ok(matches(want, got[i] ?? ""), `line ${i + 1}\nshown:  ${want}\nprints: ${got[i]}`);
    });
  });
}
