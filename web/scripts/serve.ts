// Builds the Next.js web app when its build is missing or stale, and serves it
// with `next start` as a child process pointed at a running API. Used by
// `npm start` (scripts/start.ts) and by the browser tests (test/harness.ts).
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export const webDir = path.resolve(import.meta.dirname, "..");
const rootDir = path.resolve(webDir, "..");
const stampFile = path.join(webDir, ".next", "storelite-build.json");
const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");

/** Everything a build depends on: a change to any of it means build again. */
function sourceHash(): string {
  const hash = crypto.createHash("sha256");
  const add = (file: string) => {
    hash.update(path.relative(rootDir, file));
    hash.update(fs.readFileSync(file));
  };
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (!entry.name.endsWith(".test.ts")) add(p);
    }
  };
  walk(path.join(webDir, "src"));
  for (const f of ["next.config.ts", "package.json", "tsconfig.json"]) add(path.join(webDir, f));
  // The API's files that the web server's bundle includes (src/proxy.ts imports the shared edge).
  for (const f of ["package-lock.json", "api/schema.graphql", "api/src/http/edge.ts", "api/src/env.ts"]) if (fs.existsSync(path.join(rootDir, f))) add(path.join(rootDir, f));
  return hash.digest("hex");
}

export function buildIsFresh(): boolean {
  try {
    const stamp = JSON.parse(fs.readFileSync(stampFile, "utf8")) as { hash?: string };
    return stamp.hash === sourceHash() && fs.existsSync(path.join(webDir, ".next", "BUILD_ID"));
  } catch {
    return false;
  }
}

const childEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => {
  // PORT is the API's: `next start` would take it as its own.
  const { PORT: _port, ...env } = process.env;
  return { ...env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ...extra };
};

function run(child: ChildProcess, what: string): Promise<void> {
  // Ctrl-C reaches the child too (same process group); wait for it to stop, then report.
  const onSignal = (signal: NodeJS.Signals) => void child.kill(signal);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return new Promise<void>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      if (code === 0) resolve();
      else reject(new Error(signal ? `${what} stopped (${signal}).` : `${what} failed (exit code ${code}).`));
    });
  });
}

const lockDir = path.join(webDir, ".build.lock");

/**
 * One `next build` at a time in this folder: two at once (say `npm start` and a
 * test run) would write over each other's .next. A directory is the lock (mkdir
 * is atomic); it holds the owner's pid so a lock left by a killed build is taken over.
 */
async function withBuildLock<T>(fn: () => Promise<T>, log: (m: string) => void): Promise<T> {
  let told = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, "pid"), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      if (lockIsAbandoned()) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!told) log("Waiting for another build of the web app to finish...");
      told = true;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function lockIsAbandoned(): boolean {
  try {
    const owner = Number(fs.readFileSync(path.join(lockDir, "pid"), "utf8"));
    return Number.isInteger(owner) && owner > 0 && !isAlive(owner);
  } catch {
    // No pid yet: just taken, or its owner died right after mkdir.
    try {
      return Date.now() - fs.statSync(lockDir).mtimeMs > 10_000;
    } catch {
      return false; // released meanwhile
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Runs `next build` unless the last build came from the same sources. */
export async function buildIfStale(log: (m: string) => void = console.log): Promise<void> {
  if (buildIsFresh()) return;
  await withBuildLock(async () => {
    if (buildIsFresh()) return; // built by whoever held the lock
    log("Building the web app (only when its sources changed; about a minute)...");
    const hash = sourceHash();
    await run(spawn(process.execPath, [nextBin, "build"], { cwd: webDir, env: childEnv({}), stdio: ["ignore", "inherit", "inherit"] }), "Building the web app");
    fs.writeFileSync(stampFile, JSON.stringify({ hash, builtAt: new Date().toISOString() }));
  }, log);
}

export interface WebServer {
  url: string;
  stop(): Promise<void>;
}

/** `next start` on host:port, talking to the API at apiUrl; resolves once it answers. */
export async function serveWeb(opts: { apiUrl: string; host: string; port: number; quiet?: boolean }): Promise<WebServer> {
  const child = spawn(process.execPath, [nextBin, "start", "-H", opts.host, "-p", String(opts.port)], {
    cwd: webDir,
    // HOST: the web server's edge (src/proxy.ts) answers to the address it listens on.
    env: childEnv({ STORELITE_API_URL: opts.apiUrl, HOST: opts.host }),
    stdio: ["ignore", "ignore", "pipe"], // our own banner says where it is
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
    if (!opts.quiet) process.stderr.write(d);
  });
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code, signal) => {
      const inUse = /EADDRINUSE/.test(stderr);
      reject(new Error(inUse ? `Port ${opts.port} is already in use; set WEB_PORT to another port.` : `The web server stopped (${signal ?? `exit code ${code}`}).`));
    }),
  );
  const url = `http://${opts.host.includes(":") ? `[${opts.host}]` : opts.host}:${opts.port}`;
  const ready = (async () => {
    for (;;) {
      try {
        const res = await fetch(url, { method: "HEAD" });
        if (res.status < 500) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  })();
  await Promise.race([ready, exited]);
  exited.catch(() => {}); // a later exit is handled by stop()
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill("SIGKILL"), 5000);
        child.once("exit", () => {
          clearTimeout(force);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

/** WEB_PORT (default 3000), checked like the API's own settings. */
export function webPort(source: NodeJS.ProcessEnv = process.env): number {
  const raw = source.WEB_PORT?.trim() || "3000";
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) throw new Error(`StoreLite settings are invalid:\n  WEB_PORT: must be a port number 1-65535 (got ${JSON.stringify(raw)})`);
  return port;
}
