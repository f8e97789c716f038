// Serves the built Next.js web app (its standalone server, scripts/standalone.mjs)
// as a child process pointed at a running API. Used by the supervisor behind
// `npm start` (api/src/runtime/supervisor.ts) and by the browser tests
// (test/harness.ts). Building it lives in scripts/build.mjs at the root.
import { spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { ensureBuilt, webIsFresh } from "../../scripts/build.mjs";

export const webDir = path.resolve(import.meta.dirname, "..");

/** Runs `next build` unless the last build came from the same sources. */
export async function buildIfStale(log: (m: string) => void = console.log): Promise<void> {
  if (!webIsFresh()) await ensureBuilt({ web: true, log });
}

export { webIsFresh as buildIsFresh };

const childEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => {
  // PORT is the API's: the web server gets WEB_PORT.
  const { PORT: _port, ...env } = process.env;
  return { ...env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ...extra };
};

/**
 * One HTTP request with node:http (not fetch, whose client would add ~10 MB to
 * the supervisor for a few readiness checks); undefined when nothing answers.
 */
export function probe(url: string, method = "GET", timeoutMs = 2000): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    let req: http.ClientRequest;
    try {
      req = http.request(url, { method, timeout: timeoutMs }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        res.on("error", () => resolve(undefined));
      });
    } catch {
      return resolve(undefined); // not a URL (a bad PORT: the API itself will say so)
    }
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(undefined));
    req.end();
  });
}

export interface WebServer {
  url: string;
  pid: number;
  /** Resolves (with why) when the server stops by itself after it was ready. */
  exited: Promise<string>;
  stop(): Promise<void>;
}

/** The web server on host:port, talking to the API at apiUrl; resolves once it answers. */
export async function serveWeb(opts: { apiUrl: string; host: string; port: number; quiet?: boolean }): Promise<WebServer> {
  // Memory before speed: measured on 3,000 bills through /graphql, 106 MB instead of 228, at the same rate.
  const child = spawn(process.execPath, ["--optimize-for-size", path.join(webDir, "scripts", "standalone.mjs")], {
    cwd: webDir,
    // HOST: the web server's edge (src/proxy.ts) answers to the address it listens on.
    env: childEnv({ STORELITE_API_URL: opts.apiUrl, WEB_PORT: String(opts.port), HOST: opts.host }),
    stdio: ["ignore", "ignore", "pipe", "ipc"], // our own banner says where it is; ipc: see standalone.mjs
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
    if (!opts.quiet) process.stderr.write(d);
  });
  let stopping = false;
  const exited = new Promise<string>((resolve) =>
    child.once("exit", (code, signal) => {
      const inUse = /EADDRINUSE/.test(stderr);
      resolve(inUse ? `port ${opts.port} is already in use; set WEB_PORT to another port` : describeExit(code, signal));
    }),
  );
  const url = `http://${opts.host.includes(":") ? `[${opts.host}]` : opts.host}:${opts.port}`;
  const ready = (async () => {
    while (!stopping) {
      const res = await probe(url, "HEAD");
      if (res && res.status < 500) return;
      await new Promise((r) => setTimeout(r, 150));
    }
  })();
  const failed = exited.then((why) => {
    throw new Error(`The web server stopped (${why}).`);
  });
  try {
    await Promise.race([ready, failed]);
  } finally {
    stopping = true; // the readiness poll ends either way
  }
  failed.catch(() => {}); // later exits are reported through `exited`
  return {
    url,
    pid: child.pid!,
    exited,
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

/** Why a child process ended, for a log line. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}${signal === "SIGKILL" ? " (by hand, or by the system for lack of memory)" : ""}` : `exit code ${code}`;
}

/** WEB_PORT (default 3000), checked like the API's own settings. */
export function webPort(source: NodeJS.ProcessEnv = process.env): number {
  const raw = source.WEB_PORT?.trim() || "3000";
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) throw new Error(`StoreLite settings are invalid:\n  WEB_PORT: must be a port number 1-65535 (got ${JSON.stringify(raw)})`);
  return port;
}
