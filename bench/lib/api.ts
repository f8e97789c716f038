// Starts the real API (`node --import tsx api/src/main.ts`) as a separate
// process against the bench database, as production would run it, and stops
// its whole process group at the end.
import { spawn } from "node:child_process";
import path from "node:path";
import { freePort } from "../../api/src/db/embedded.ts";
import { onCleanup } from "./cleanup.ts";

export const repoRoot = path.resolve(import.meta.dirname, "../..");
/** BENCH_API_DIR runs the API from another checkout (e.g. a copy before a change) for before/after runs. */
export const apiRoot = process.env.BENCH_API_DIR ? path.resolve(process.env.BENCH_API_DIR) : repoRoot;

export interface RunningApi {
  base: string;
  pid: number;
  /** Headers that sign a request in (the API: as the bench's owner; other servers: none). */
  headers: Record<string, string>;
  stop(): Promise<void>;
}

const BENCH_OWNER = { STORELITE_OWNER_USERNAME: "bench-owner", STORELITE_OWNER_PASSWORD: "bench-owner-password" };

/** The API (of `checkout`, by default this one), with an owner account (created on an empty shop) whose session every bench request uses. */
export async function startApi(databaseUrl: string, extraEnv: Record<string, string> = {}, nodeArgs: string[] = [], checkout = apiRoot): Promise<RunningApi> {
  const api = await startServer(checkout, "api/src/main.ts", databaseUrl, { ...BENCH_OWNER, ...extraEnv }, nodeArgs);
  const res = await fetch(`${api.base}/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: BENCH_OWNER.STORELITE_OWNER_USERNAME, password: BENCH_OWNER.STORELITE_OWNER_PASSWORD }),
  });
  // An API from before sign-in existed (BENCH_API_DIR) has no /auth: it needs no credentials.
  if (res.status === 404) return api;
  const token = /storelite_session=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
  if (!token) throw new Error(`bench sign-in failed: ${res.status} ${await res.text()}`);
  return { ...api, headers: { authorization: `Bearer ${decodeURIComponent(token)}` } };
}

/** Starts a server entry file (TypeScript, run by tsx) the same way, waiting for its /health. */
export async function startServer(
  cwd: string,
  entry: string,
  databaseUrl: string,
  extraEnv: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<RunningApi> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", entry], {
    cwd,
    detached: true, // its own process group: we stop it and anything it spawned
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      HOST: "127.0.0.1",
      PORT: String(port),
      NODE_ENV: "production",
      STORELITE_WEB: "off",
      STORELITE_SEED_DEMO: "false",
      ...extraEnv,
    },
  });
  let output = "";
  const verbose = Boolean(process.env.BENCH_VERBOSE); // BENCH_VERBOSE=1 shows the API's own output
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-4000);
    if (verbose) process.stderr.write(d.toString().replace(/^(?=.)/gm, "[api] "));
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));

  const stop = async () => {
    if (done) return;
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      return;
    }
    const timer = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 10_000).unref());
    if ((await Promise.race([exited, timer])) === "timeout") {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {}
      await exited;
    }
  };
  onCleanup(`stop ${entry} (pid ${child.pid})`, stop);

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (done) throw new Error(`${entry} exited during start-up:\n${output}`);
    try {
      const res = await fetch(`${base}/health`);
      if (res.ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`${entry} did not answer /health within 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { base, pid: child.pid!, headers: {}, stop };
}
