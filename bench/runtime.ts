// `npm run bench:runtime`: what `npm start` costs a small shop PC. Starts the
// real `npm start` on a fresh data directory (first start: initdb, migrations,
// demo catalogue), prints each process's memory idle, during and after a
// 10,000-bill load sent the way /pos sends them (the web app's /graphql,
// forwarded to the API), stops it like Ctrl-C, then starts it again on the
// existing database (the everyday start) and measures that too. Never fails
// on numbers; Linux only (reads /proc).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { freePort } from "../api/src/db/embedded.ts";
import { repoRoot } from "./lib/api.ts";
import { onCleanup, runBench } from "./lib/cleanup.ts";
import { loadItems } from "./lib/db.ts";
import { CREATE_BILL } from "./lib/graphql.ts";
import { load } from "./lib/load.ts";
import { byRole, procSupported, snapshot, type ProcessMemory, type RoleMemory } from "./lib/procs.ts";
import { fmt, machineInfo, table } from "./lib/stats.ts";

const { values: opts } = parseArgs({
  options: {
    bills: { type: "string", default: "10000" },
    items: { type: "string", default: "10000" },
    connections: { type: "string", default: "8" },
    /** Seconds to let a freshly started or freshly loaded StoreLite settle before reading its memory. */
    settle: { type: "string", default: "5" },
    /** Where the bills go: "web" (the web app's /graphql, as /pos sends them) or "api" (the API directly). */
    through: { type: "string", default: "web" },
    /** Print every process, not only the sums per role. */
    processes: { type: "boolean", default: false },
  },
});
const BILLS = Number(opts.bills);
const ITEMS = Number(opts.items);
const FIRST_ITEM = 1001; // above the demo catalogue's ids
const SETTLE_MS = Number(opts.settle) * 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Running {
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
}

function npmStart(env: Record<string, string>): Running {
  const child = spawn("npm", ["start"], {
    cwd: repoRoot,
    detached: true, // its own process group: stopped like Ctrl-C in a terminal stops it
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  let output = "";
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
    if (process.env.BENCH_VERBOSE) process.stderr.write(d.toString().replace(/^(?=.)/gm, "[npm start] "));
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  onCleanup(`stop npm start (pid ${child.pid})`, async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    signalGroup(child, "SIGINT");
    if ((await Promise.race([exited, sleep(30_000).then(() => "timeout" as const)])) === "timeout") signalGroup(child, "SIGKILL");
  });
  return { child, exited, output: () => output };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/** Milliseconds until the API's /health says the database is up and the web app answers. */
async function waitReady(run: Running, api: string, web: string, started: number): Promise<number> {
  const answers = async (url: string, test: (res: Response) => Promise<boolean>) => {
    try {
      return await test(await fetch(url, { signal: AbortSignal.timeout(2000) }));
    } catch {
      return false;
    }
  };
  // Any /health that reports the database as up counts: the API may already be
  // waiting on the web app, which we check on its own.
  const apiUp = (res: Response) =>
    res
      .json()
      .then((body) => {
        const b = body as { status?: string; checks?: { database?: { status?: string } } };
        return b.status === "ok" || b.checks?.database?.status === "ok";
      })
      .catch(() => false);
  let apiReady = false;
  let webReady = false;
  for (;;) {
    if (run.child.exitCode !== null) throw new Error(`npm start exited during start-up:\n${run.output()}`);
    apiReady ||= await answers(`${api}/health`, apiUp);
    webReady ||= await answers(`${web}/`, async (res) => res.status < 500);
    if (apiReady && webReady) return Date.now() - started;
    if (Date.now() - started > 600_000) throw new Error(`npm start was not ready within 10 minutes:\n${run.output()}`);
    await sleep(100);
  }
}

async function stop(run: Running, dataDir: string): Promise<{ ms: number; clean: boolean; code: number | null }> {
  const started = Date.now();
  signalGroup(run.child, "SIGINT"); // what Ctrl-C in the terminal does
  const code = await run.exited;
  const ms = Date.now() - started;
  // Clean: no postmaster left, and PostgreSQL's own log says it shut down.
  const log = path.join(dataDir, "server.log");
  const tail = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trimEnd().split("\n").slice(-3).join("\n") : "";
  return { ms, code, clean: !fs.existsSync(path.join(dataDir, "postmaster.pid")) && /database system is shut down/.test(tail) };
}

const mib = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "n/a");

runBench(async () => {
  if (!procSupported) throw new Error("bench:runtime reads /proc: run it on Linux.");
  console.log(`StoreLite runtime bench — ${new Date().toISOString()}`);
  console.log(`machine: ${machineInfo()}`);
  console.log(`commit: ${execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repoRoot, encoding: "utf8" }).trim()}`);
  console.log(`${BILLS.toLocaleString("en")} bills (3 lines each, ${opts.connections} connections, through the ${opts.through === "api" ? "API directly" : "web app's /graphql, as /pos sends them"}) over ${ITEMS.toLocaleString("en")} items\n`);

  // Build first, so the start times below are starts, not builds.
  let t = Date.now();
  execFileSync("npm", ["run", "build", "--silent"], { cwd: repoRoot, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", NEXT_TELEMETRY_DISABLED: "1" } });
  console.log(`npm run build (only what was stale): ${((Date.now() - t) / 1000).toFixed(1)} s`);

  const root = fs.mkdtempSync(path.join(os.tmpdir(), "storelite-runtime-bench-"));
  fs.chmodSync(root, 0o755); // as root, PostgreSQL runs as `postgres` and must enter it
  onCleanup("remove temp dir", () => fs.rmSync(root, { recursive: true, force: true }));
  const dataDir = path.join(root, "pg");
  const ports = { api: await freePort(), web: await freePort(), pg: await freePort() };
  const env = {
    STORELITE_DATA_DIR: dataDir,
    HOST: "127.0.0.1",
    PORT: String(ports.api),
    WEB_PORT: String(ports.web),
    STORELITE_PG_PORT: String(ports.pg),
    DATABASE_URL: "",
    STORELITE_WEB: "",
  };
  const api = `http://127.0.0.1:${ports.api}`;
  const web = `http://127.0.0.1:${ports.web}`;

  // First start: initdb, migrations, demo catalogue.
  t = Date.now();
  const first = npmStart(env);
  const firstStartMs = await waitReady(first, api, web, t);
  console.log(`first start (new database): ready in ${(firstStartMs / 1000).toFixed(1)} s`);
  await sleep(SETTLE_MS);
  const idle = snapshot(first.child.pid!, dataDir);

  // The load: items with one SQL statement, then bills over HTTP.
  const password = fs.readFileSync(path.join(dataDir, "storelite-password"), "utf8").trim();
  const pool = new pg.Pool({ connectionString: `postgresql://storelite:${encodeURIComponent(password)}@127.0.0.1:${ports.pg}/storelite`, max: 2 });
  await loadItems(pool, FIRST_ITEM, FIRST_ITEM + ITEMS - 1, (m) => console.log(m));
  await pool.end();

  const peak = new Map<string, number>();
  let peakTotal = 0;
  const sampler = setInterval(() => {
    const roles = byRole(snapshot(first.child.pid!, dataDir));
    for (const r of roles) peak.set(r.role, Math.max(peak.get(r.role) ?? 0, r.rss));
    peakTotal = Math.max(peakTotal, sum(roles.filter((r) => r.role !== "npm"), "rss"));
  }, 1000);
  const pick = () => FIRST_ITEM + Math.floor(Math.random() * ITEMS);
  t = Date.now();
  const result = await load({
    url: opts.through === "api" ? api : web,
    connections: Number(opts.connections),
    seconds: 0,
    amount: BILLS,
    request: () => {
      const ids = [...new Set([pick(), pick(), pick()])].sort((a, b) => a - b);
      return {
        method: "POST",
        path: "/graphql",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          operationName: "billing_create_bill",
          query: CREATE_BILL,
          variables: { customer_name: "Bench", store_name: "Bench store", items: ids.map((itemId, i) => ({ itemId, quantity: ["1", "2", "1.5"][i] })), idempotency_key: crypto.randomUUID() },
        }),
      };
    },
    ok: (status, body) => status === 200 && body.includes('"__typename":"CreateBillSuccess"'),
  });
  clearInterval(sampler);
  const loadSeconds = (Date.now() - t) / 1000;
  console.log(
    `load: ${result.ok.toLocaleString("en")} bills in ${loadSeconds.toFixed(1)} s (${fmt.rate(result.ok / loadSeconds)} bills/s, p50 ${fmt.ms(result.p50)} ms, p99 ${fmt.ms(result.p99)} ms)${result.failed ? `, ${result.failed} failed: ${result.sampleFailure ?? ""}` : ""}`,
  );
  await sleep(SETTLE_MS);
  const loaded = snapshot(first.child.pid!, dataDir);

  const firstStop = await stop(first, dataDir);
  console.log(`stop (Ctrl-C): ${(firstStop.ms / 1000).toFixed(1)} s, exit code ${firstStop.code}, PostgreSQL shut down cleanly: ${firstStop.clean ? "yes" : "NO"}`);

  // The everyday start: the database exists, the build is fresh.
  t = Date.now();
  const second = npmStart(env);
  const restartMs = await waitReady(second, api, web, t);
  console.log(`start on the existing database: ready in ${(restartMs / 1000).toFixed(1)} s`);
  await sleep(SETTLE_MS);
  const restartIdle = snapshot(second.child.pid!, dataDir);
  const secondStop = await stop(second, dataDir);
  console.log(`stop (Ctrl-C): ${(secondStop.ms / 1000).toFixed(1)} s, exit code ${secondStop.code}, PostgreSQL shut down cleanly: ${secondStop.clean ? "yes" : "NO"}`);

  const columns: [string, RoleMemory[]][] = [
    ["idle", byRole(idle)],
    ["after load", byRole(loaded)],
    ["restart idle", byRole(restartIdle)],
  ];
  const roles = [...new Set(columns.flatMap(([, rs]) => rs.map((r) => r.role)))];
  const cell = (rs: RoleMemory[], role: string, key: "rss" | "pss") => mib(rs.find((r) => r.role === role)?.[key] ?? NaN);
  const count = (rs: RoleMemory[], role: string) => String(rs.find((r) => r.role === role)?.processes ?? 0);
  const rows = roles.map((role) => [
    role,
    count(columns[0]![1], role),
    cell(columns[0]![1], role, "rss"),
    cell(columns[0]![1], role, "pss"),
    mib(peak.get(role) ?? NaN),
    cell(columns[1]![1], role, "rss"),
    cell(columns[1]![1], role, "pss"),
    cell(columns[2]![1], role, "rss"),
  ]);
  const storelite = (rs: RoleMemory[]) => rs.filter((r) => r.role !== "npm");
  rows.push([
    "StoreLite (all but npm)",
    String(sum(storelite(columns[0]![1]), "processes")),
    mib(sum(storelite(columns[0]![1]), "rss")),
    mib(sum(storelite(columns[0]![1]), "pss")),
    mib(peakTotal),
    mib(sum(storelite(columns[1]![1]), "rss")),
    mib(sum(storelite(columns[1]![1]), "pss")),
    mib(sum(storelite(columns[2]![1]), "rss")),
  ]);
  console.log("\nMemory in MiB (RSS = resident; PSS = shared pages split between the processes sharing them, so PostgreSQL's shared buffers count once):\n");
  console.log(table(["role", "procs", "idle RSS", "idle PSS", "load peak RSS", "after load RSS", "after load PSS", "restart idle RSS"], rows));
  console.log("\nnpm is the `npm start` command itself (it waits for its script); a service runs StoreLite without it.");
  console.log(`\nStart: first start (initdb, migrations, demo) ${(firstStartMs / 1000).toFixed(1)} s; on the existing database ${(restartMs / 1000).toFixed(1)} s (until /health answers and the web app serves /).`);
  if (opts.processes) {
    console.log("\nProcesses (idle, first start):\n");
    console.log(table(["command", "pid", "role", "RSS", "PSS"], idle.map((p: ProcessMemory) => [p.command.slice(0, 100), String(p.pid), p.role, mib(p.rss), mib(p.pss)])));
  }
});

function sum<K extends "rss" | "pss" | "processes">(rs: RoleMemory[], key: K): number {
  return rs.reduce((a, r) => a + r[key], 0);
}
