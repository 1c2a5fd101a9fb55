/** nginx serving a folder on a loopback port, as this user's own process (benchmarks). */
import { freePort, waitFor } from "./load.ts";

/** A running nginx. */
export interface Nginx {
  /** `http://127.0.0.1:PORT`. */
  base: string;
  /** Its master process (workers are its children). */
  pid: number;
  /** Stops it and removes its folder. */
  stop(): Promise<void>;
}

/** Starts nginx over `root` (sendfile, Range answered as nginx does), waiting for `probe`. */
export async function startNginx(root: string, probe = "/"): Promise<Nginx> {
  const dir = await Deno.makeTempDir({ prefix: "zarrflask-nginx-" });
  const port = freePort();
  await Deno.writeTextFile(
    `${dir}/nginx.conf`,
    `${Deno.uid() === 0 ? "user root;\n" : ""}worker_processes auto;\ndaemon off;\n` +
      `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\n` +
      `events { worker_connections 1024; }\nhttp {\n  access_log off;\n  sendfile on;\n` +
      `  client_body_temp_path ${dir}; proxy_temp_path ${dir};\n` +
      `  fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};\n` +
      `  server {\n    listen 127.0.0.1:${port};\n    root ${root};\n  }\n}\n`,
  );
  const proc = new Deno.Command("nginx", {
    args: ["-c", `${dir}/nginx.conf`, "-p", dir],
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}${probe}`);
  return {
    base,
    pid: proc.pid,
    async stop() {
      proc.kill("SIGTERM");
      await proc.status;
      await Deno.remove(dir, { recursive: true });
    },
  };
}
