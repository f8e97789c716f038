// Memory of a running StoreLite, process by process, read from /proc (Linux):
// the process tree under the command that was started, plus the embedded
// PostgreSQL (a postmaster started by pg_ctl is nobody's child). Each process
// gets a role from its command line; a helper process without one of its own
// (a shell, tsx's esbuild service) counts for its parent's role.
import fs from "node:fs";
import path from "node:path";

export interface ProcessMemory {
  pid: number;
  ppid: number;
  role: string;
  command: string;
  /** Resident set size, MiB. */
  rss: number;
  /** Proportional set size, MiB: shared pages divided among the processes sharing them (the honest sum). */
  pss: number;
}

export const procSupported = fs.existsSync("/proc/self/status");

function readStat(pid: number): { ppid: number } | undefined {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return { ppid: Number(s.slice(s.lastIndexOf(")") + 2).split(" ")[1]) };
  } catch {
    return undefined;
  }
}

function kib(file: string, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(file, "utf8"));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
  } catch {
    return "";
  }
}

/** The role a command line shows by itself, or undefined (then the parent's role applies). */
export function roleOf(command: string): string | undefined {
  if (/(^|\/)postgres(\s|$)|^postgres:/.test(command)) return "postgres";
  if (/npm-cli\.js|(^|\/)npm(\s|$)/.test(command)) return "npm";
  if (/mcp[/\\]src[/\\]stdio|dist[/\\]mcp-stdio/.test(command)) return "mcp (assistant)";
  if (/next-server|[/\\]next[/\\]dist[/\\]bin[/\\]next|\.next[/\\]standalone|standalone\.mjs/.test(command)) return "web";
  if (/api[/\\]src[/\\]main\.ts|dist[/\\]api\.js|(^|\s)src[/\\]main\.ts/.test(command)) return "api";
  if (/start\.(ts|mjs|js)|supervisor/.test(command)) return "supervisor";
  return undefined;
}

/** Every process under `rootPid` (itself included) and the PostgreSQL of `dataDir`. */
export function snapshot(rootPid: number, dataDir?: string): ProcessMemory[] {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const s = readStat(Number(entry));
    if (s) parents.set(Number(entry), s.ppid);
  }
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) children.set(ppid, [...(children.get(ppid) ?? []), pid]);

  const result: ProcessMemory[] = [];
  const seen = new Set<number>();
  const visit = (pid: number, inherited: string) => {
    if (seen.has(pid) || !parents.has(pid)) return;
    seen.add(pid);
    const command = commandLine(pid);
    const role = roleOf(command) ?? inherited;
    result.push({ pid, ppid: parents.get(pid)!, role, command, rss: kib(`/proc/${pid}/status`, "VmRSS") / 1024, pss: kib(`/proc/${pid}/smaps_rollup`, "Pss") / 1024 });
    for (const child of children.get(pid) ?? []) visit(child, role);
  };
  visit(rootPid, "launcher");
  if (dataDir) {
    try {
      const postmaster = Number(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
      visit(postmaster, "postgres");
    } catch {
      // not running
    }
  }
  return result.filter((p) => Number.isFinite(p.rss)); // a process that ended while we looked
}

export interface RoleMemory {
  role: string;
  processes: number;
  rss: number;
  pss: number;
}

/** Sums per role, in a fixed order (unknown roles last). */
export function byRole(processes: ProcessMemory[]): RoleMemory[] {
  const order = ["supervisor", "api", "web", "postgres", "mcp (assistant)", "npm", "launcher"];
  const roles = new Map<string, RoleMemory>();
  for (const p of processes) {
    const r = roles.get(p.role) ?? { role: p.role, processes: 0, rss: 0, pss: 0 };
    r.processes++;
    r.rss += p.rss;
    r.pss += Number.isFinite(p.pss) ? p.pss : p.rss;
    roles.set(p.role, r);
  }
  const rank = (role: string) => (order.includes(role) ? order.indexOf(role) : order.length);
  return [...roles.values()].sort((a, b) => rank(a.role) - rank(b.role));
}
