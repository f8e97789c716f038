// The supervisor behind `npm start` and the service (compiled to dist/supervisor.js,
// started by scripts/start.mjs). Two children: the API (dist/api.js, which runs
// the embedded PostgreSQL unless DATABASE_URL is set, and shuts it down
// cleanly when it stops) and the web app (Next.js's standalone server). It
// restarts one that dies, with backoff, saying why; gives up with a clear
// message when one keeps dying; and on Ctrl-C or SIGTERM stops the web app,
// then the API. Kept light on purpose — no settings library, no database
// driver, no fetch client — since it only watches: the API checks the settings.
import { spawn } from "node:child_process";
import net from "node:net";
import { distFile, rootDir } from "../../../scripts/build.mjs";
import { describeExit, probe, serveWeb, webPort } from "../../../web/scripts/serve.ts";
import { lanAddresses } from "../http/edge.ts";
import { errorText, supervise, type ChildSpec, type Control, type Supervised } from "./supervise.ts";

/** The last lines of what a child printed, to say why it stopped. */
class Tail {
  #text = "";
  add(chunk: string) {
    this.#text = (this.#text + chunk).slice(-4000);
  }
  lastLine(): string {
    return this.#text.trimEnd().split("\n").filter((l) => l.trim()).pop()?.trim() ?? "";
  }
}

/** A host to connect to for a server listening on `host` (a wildcard address is not one). */
const connectHost = (host: string) => (host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host);
const urlHost = (host: string) => (host.includes(":") ? `[${host}]` : host);

/** The API (dist/api.js) as a child; ready once its /health says the database is up. */
function apiSpec(opts: { env: NodeJS.ProcessEnv; base: string }): ChildSpec {
  const base = opts.base;
  return {
    name: "The API",
    async start() {
      // A 2 MB young generation instead of 16: ~30 MB less after a day of sales, for a little more GC work.
      const child = spawn(process.execPath, ["--enable-source-maps", "--max-semi-space-size=2", distFile("api")], {
        cwd: rootDir,
        env: opts.env,
        stdio: ["ignore", "pipe", "pipe", "ipc"], // ipc: the API stops if we are killed (main.ts)
      });
      const tail = new Tail();
      child.stdout!.on("data", (d: Buffer) => {
        tail.add(d.toString());
        process.stdout.write(d);
      });
      child.stderr!.on("data", (d: Buffer) => {
        tail.add(d.toString());
        process.stderr.write(d);
      });
      const exited = new Promise<string>((resolve) => {
        child.once("exit", (code, signal) => {
          const last = tail.lastLine();
          resolve(`${describeExit(code, signal)}${code && last ? `: ${last}` : ""}`);
        });
      });
      let up = false;
      void exited.then(() => (up = true)); // ends the wait below
      // Up once /health says the database is (it may still be waiting on the web app).
      while (!up) {
        const res = await probe(`${base}/health?format=json`);
        if (res && /"database":\{"status":"ok"/.test(res.body)) break;
        await new Promise((r) => setTimeout(r, 150));
      }
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(await exited);
      return {
        pid: child.pid,
        exited,
        stop: () => stopChild(child, 20_000),
      };
    },
  };
}

function stopChild(child: ReturnType<typeof spawn>, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

async function main() {
  // The API checks every setting (and stops with a message naming a bad one);
  // here only what is needed to reach it and to place the web app.
  const host = process.env.HOST?.trim() || "127.0.0.1";
  const apiPort = process.env.PORT?.trim() || "4000";
  const withWeb = !/^(off|false|0|no)$/i.test(process.env.STORELITE_WEB ?? "");
  const port = withWeb ? webPort() : 0;
  if (withWeb && apiPort === "0") throw new Error("PORT=0 (any free port) cannot be combined with the web app; set PORT, or STORELITE_WEB=off.");
  // A busy WEB_PORT is found out now, before the database and the API start for nothing.
  if (withWeb && !(await portIsFree(host, port))) throw new Error(`Port ${port} is already in use; set WEB_PORT to another port.`);

  const children: Supervised[] = []; // in start order; stopped in reverse
  let stopping = false;
  const wake = new Set<() => void>();
  const log = (m: string) => console.log(m);
  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    wake.forEach((w) => w());
    log(`\n${reason}: stopping StoreLite (the web app, then the API and its database)...`);
    const force = setTimeout(() => process.exit(1), 60_000);
    force.unref();
    for (const c of [...children].reverse()) await c.current()?.stop().catch((e: unknown) => console.error(errorText(e)));
    log(code === 0 ? "StoreLite stopped." : "StoreLite stopped (see above why).");
    process.exit(code);
  };
  const ctl: Control = {
    stopping: () => stopping,
    log: (m) => console.error(`storelite: ${m}`),
    giveUp: (m) => {
      console.error(`storelite: ${m}`);
      void shutdown("Giving up", 1);
    },
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          wake.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        wake.add(done);
      }),
  };
  process.on("SIGINT", () => void shutdown("SIGINT", 0));
  process.on("SIGTERM", () => void shutdown("SIGTERM", 0));
  process.on("SIGHUP", () => void shutdown("SIGHUP", 0));

  try {
    const local = urlHost(connectHost(host));
    const webUrl = withWeb ? `http://${local}:${port}` : undefined;
    const apiEnv: NodeJS.ProcessEnv = { ...process.env, ...(webUrl ? { STORELITE_WEB_URL: webUrl } : {}) };
    children.push(await supervise(apiSpec({ env: apiEnv, base: `http://${local}:${apiPort}` }), ctl));
    if (stopping) return;
    if (webUrl) children.push(await supervise({ name: "The web app", start: () => serveWeb({ apiUrl: `http://${local}:${apiPort}`, host, port }) }, ctl));
    if (stopping) return;
    log("");
    if (webUrl) log(`  Web app       ${webUrl}/   (/pos billing, /admin inventory, /bills, /agent assistant)`);
    if (webUrl && (host === "0.0.0.0" || host === "::")) {
      // Every address: the ones a tablet on the shop's Wi-Fi can use (the Host allow-list accepts them).
      for (const address of lanAddresses()) log(`  On the network http://${address}:${port}/`);
      log("                (other names: add them to STORELITE_ALLOWED_HOSTS; see \"On the shop's network\" in the README)");
    }
    log("  MCP server    npm run -s mcp (stdio) or npm run mcp:http (http://127.0.0.1:4100/mcp)");
    log("  Console       npm run cli");
  } catch (err) {
    console.error(errorText(err));
    await shutdown("Could not start", 1);
  }
}

void main().catch((err: unknown) => {
  console.error(errorText(err));
  process.exit(1);
});
