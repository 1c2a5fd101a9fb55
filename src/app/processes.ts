/**
 * The server's processes: replicas sharing the port (SO_REUSEPORT), each ending with its
 * parent, and a clean stop on SIGINT and SIGTERM: no new connections, requests in flight
 * finish within a deadline, exit 0.
 */

/** The V8 flag every server process runs with (`deno task serve`, replicas, `deno compile`). */
export const SEMI_SPACE_FLAG = "--v8-flags=--max-semi-space-size=8";

/** Ends this replica when its parent goes away (its stdin closes), however the parent ended. */
export function exitWithParent(): void {
  (async () => {
    for await (const _ of Deno.stdin.readable) { /* the parent never writes */ }
    Deno.exit(0);
  })();
}

function stop(p: Deno.ChildProcess): void {
  try {
    p.kill("SIGTERM");
  } catch { /* already gone */ }
}

/**
 * `count` more server processes on the same port (SO_REUSEPORT), each with its own h5wasm and
 * caches; the kernel spreads connections between them. `cli` is the CLI module's path.
 */
export function startReplicas(
  cli: string,
  argv: string[],
  port: number,
  count: number,
): Deno.ChildProcess[] {
  const args = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--port" || argv[i] === "--parallel") i++;
    else if (!/^--(port|parallel)=/.test(argv[i])) args.push(argv[i]);
  }
  const flags = [
    "--allow-read",
    "--allow-net",
    "--allow-env",
    "--allow-sys",
    "--unstable-net",
    // As `deno task serve`: V8 grows its young generation to 64 MB under a flood of small
    // requests (RSS +90 MB); capped at 8 MB a half, requests/s are the same (docs/design.md).
    SEMI_SPACE_FLAG,
  ];
  const compiled = !/^deno(\.exe)?$/.test(Deno.execPath().split(/[\\/]/).pop() ?? "");
  const replicas: Deno.ChildProcess[] = [];
  for (let i = 0; i < count; i++) {
    try {
      replicas.push(
        new Deno.Command(Deno.execPath(), {
          // a `deno compile`d zarrflask is its own runtime: it takes the command directly
          args: [
            ...(compiled ? [] : ["run", ...flags, cli]),
            "serve",
            ...args,
            "--port",
            String(port),
            "--replica",
          ],
          stdin: "piped",
          stdout: "null",
          stderr: "inherit",
        }).spawn(),
      );
    } catch (e) {
      console.error(`warning: serving with one process: ${(e as Error).message}`);
      break;
    }
  }
  return replicas;
}

/**
 * On SIGINT or SIGTERM: stop accepting, let requests in flight finish for up to `drainMs`, stop
 * the replicas the same way, and let `server.finished` resolve (the CLI then exits 0).
 */
export function stopOnSignals(
  server: { shutdown(): Promise<void> },
  replicas: () => Deno.ChildProcess[],
  drainMs: number,
  quiet = false,
): void {
  let stopping = false;
  const onSignal = (sig: Deno.Signal) => {
    if (stopping) return;
    stopping = true;
    if (!quiet) console.error(`${sig}: finishing requests in flight (at most ${drainMs} ms)`);
    for (const r of replicas()) stop(r);
    const deadline = setTimeout(() => {
      if (!quiet) console.error(`requests still open after ${drainMs} ms: exiting anyway`);
      Deno.exit(0);
    }, drainMs);
    server.shutdown().then(async () => {
      await Promise.all(replicas().map((r) => r.status));
      clearTimeout(deadline);
    });
  };
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(sig, () => onSignal(sig));
  }
}
