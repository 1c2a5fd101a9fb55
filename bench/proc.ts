/** What benchmarks read of server processes from /proc (Linux): CPU time and peak memory. */

/** A process and the processes it started (zarrflask replicas, nginx workers). */
export function family(pid: number): number[] {
  let children: number[] = [];
  try {
    children = Deno.readTextFileSync(`/proc/${pid}/task/${pid}/children`).trim().split(/\s+/)
      .filter(Boolean).map(Number);
  } catch { /* no children file: one process */ }
  return [pid, ...children];
}

/** User + system CPU seconds used so far by a process and the processes it started. */
export function cpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of family(pid)) {
    try {
      // Fields after the command name (which may hold spaces): utime and stime are 14th and 15th.
      const stat = Deno.readTextFileSync(`/proc/${p}/stat`);
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch { /* gone */ }
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** Peak RSS (VmHWM) of process `pid`, in MB. */
export function peakRss(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}
