// CPU time used by the API process and by PostgreSQL during a run, read from
// /proc (Linux). On a shared, noisy machine "CPU ms per bill" is a steadier
// before/after measure than throughput, which depends on what else runs.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const TICK_MS = (() => {
  try {
    return 1000 / Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
  } catch {
    return 10;
  }
})();

function stat(pid: number): { ppid: number; self: number; children: number } | undefined {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = s.slice(s.lastIndexOf(")") + 2).split(" "); // f[0] is field 3 (state)
    return { ppid: Number(f[1]), self: (Number(f[11]) + Number(f[12])) * TICK_MS, children: (Number(f[13]) + Number(f[14])) * TICK_MS };
  } catch {
    return undefined;
  }
}

export const cpuSupported = fs.existsSync("/proc/self/stat");

/** CPU ms of one process (all its threads). */
export function processCpuMs(pid: number): number {
  return stat(pid)?.self ?? NaN;
}

/**
 * CPU ms of a PostgreSQL server: the postmaster, its live children, and the
 * children it has already reaped (a finished connection's backend).
 */
export function postgresCpuMs(dataDir: string): number {
  let postmaster: number;
  try {
    postmaster = Number(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  } catch {
    return NaN;
  }
  const root = stat(postmaster);
  if (!root) return NaN;
  let total = root.self + root.children;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(Number(entry));
    if (s?.ppid === postmaster) total += s.self;
  }
  return total;
}
