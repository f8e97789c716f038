// Drives a SQL script with Debian's pgbench (the database's own limit: a C
// client, prepared statements, no HTTP or JS) and reads per-transaction
// latencies from its log.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BenchDb } from "./db.ts";
import { summarize, type Measured } from "./stats.ts";

export const PGBENCH_MISSING =
  "pgbench not found: the raw-SQL baseline is skipped. Install it with `apt-get install -y postgresql-client` (Debian/Ubuntu) and run again.";

export function findPgbench(): string | undefined {
  for (const candidate of [process.env.PGBENCH, "/usr/bin/pgbench", "pgbench"]) {
    if (!candidate) continue;
    if (spawnSync(candidate, ["--version"], { stdio: "ignore" }).status === 0) return candidate;
  }
  return undefined;
}

export interface PgbenchRun {
  script: string;
  clients: number;
  seconds: number;
  vars?: Record<string, string | number>;
  /** prepared (default: parse/plan once, the fastest) or extended (unnamed statements, planned each time, like node-postgres). */
  mode?: "prepared" | "extended";
}

export async function pgbench(bin: string, db: BenchDb, run: PgbenchRun): Promise<Measured> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "storelite-pgbench-"));
  try {
    const scriptFile = path.join(dir, "script.sql");
    fs.writeFileSync(scriptFile, run.script);
    const args = [
      "-n", // no pgbench_* tables to vacuum
      "-M", run.mode ?? "prepared",
      "-c", String(run.clients),
      "-j", String(Math.min(run.clients, os.cpus().length)),
      "-T", String(run.seconds),
      "-f", scriptFile,
      "-l", "--log-prefix", path.join(dir, "log"),
      ...Object.entries(run.vars ?? {}).flatMap(([k, v]) => ["-D", `${k}=${v}`]),
      "-h", db.libpq.host, "-p", db.libpq.port, "-U", db.libpq.user, db.libpq.database,
    ];
    const child = spawn(bin, args, { cwd: dir, env: { ...process.env, PGPASSWORD: db.libpq.password }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
    if (code !== 0) throw new Error(`pgbench failed (${code}):\n${out.slice(-2000)}`);
    // Log lines: client_id transaction_no latency_us script_no epoch epoch_us
    const latencies: number[] = [];
    for (const f of fs.readdirSync(dir).filter((f) => f.startsWith("log"))) {
      for (const line of fs.readFileSync(path.join(dir, f), "utf8").split("\n")) {
        const us = Number(line.split(" ")[2]);
        if (line && Number.isFinite(us)) latencies.push(us / 1000);
      }
    }
    const failed = Number(/number of failed transactions: (\d+)/.exec(out)?.[1] ?? 0);
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1]);
    const m = summarize(latencies, run.seconds, failed);
    return Number.isFinite(tps) ? { ...m, rate: tps } : m;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
