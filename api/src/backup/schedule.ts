// Automatic backups: a daily one at the owner's time of day, kept as N daily
// and M weekly copies; one before migrations change a database that holds
// data; failures retried with backoff. Every attempt is a backup_runs row, so
// any process can report the state, and an advisory lock plus the day's slot
// keep several API processes from taking the same daily backup twice.
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { appliedMigrations, pendingMigrations } from "../db/migrate.ts";
import { createBackupFile, type BackupFile } from "./backup.ts";
import { nonEmptyTables } from "./catalog.ts";
import { BACKUP_EXTENSION } from "./format.ts";

export type BackupKind = "daily" | "manual" | "premigrate" | "download";

const SCHEDULE_LOCK_ID = 72707370; // next to the migration lock's id

const hasRunsTable = async (pool: pg.Pool) =>
  Boolean((await pool.query<{ t: string | null }>(`SELECT to_regclass('backup_runs')::text AS t`)).rows[0]!.t);

/** Takes a backup into `dir` and records the attempt (when the database has backup_runs yet). */
export async function recordedBackup(pool: pg.Pool, dir: string, kind: BackupKind, opts: { slot?: string; now?: Date } = {}): Promise<BackupFile> {
  const record = await hasRunsTable(pool);
  const id = record
    ? (await pool.query<{ id: number }>(`INSERT INTO backup_runs (kind, slot) VALUES ($1, $2) RETURNING id`, [kind, opts.slot ?? null])).rows[0]!.id
    : undefined;
  try {
    const result = await createBackupFile(pool, dir, { kind, now: opts.now });
    if (id !== undefined) {
      await pool.query(`UPDATE backup_runs SET finished_at = now(), ok = true, file = $2, bytes = $3, rows = $4 WHERE id = $1`, [
        id,
        result.file,
        result.bytes,
        result.manifest.totalRows,
      ]);
    }
    return result;
  } catch (err) {
    if (id !== undefined) {
      await pool.query(`UPDATE backup_runs SET finished_at = now(), ok = false, error = $2 WHERE id = $1`, [id, (err as Error).message]).catch(() => {});
    }
    throw err;
  }
}

export interface BackupStatus {
  lastGood: { at: Date; file: string; bytes: number; kind: string } | null;
  /** Seconds since the last good backup. */
  ageSeconds: number | null;
  lastError: { at: Date; message: string; kind: string } | null;
}

/** The last good backup and the last failure after it, from backup_runs. */
export async function backupStatus(pool: pg.Pool, now = new Date()): Promise<BackupStatus> {
  if (!(await hasRunsTable(pool))) return { lastGood: null, ageSeconds: null, lastError: null };
  const { rows: good } = await pool.query<{ finished_at: Date; file: string; bytes: string; kind: string }>(
    `SELECT finished_at, file, bytes::text, kind FROM backup_runs WHERE ok ORDER BY finished_at DESC LIMIT 1`,
  );
  const g = good[0];
  const { rows: bad } = await pool.query<{ finished_at: Date; error: string; kind: string }>(
    `SELECT finished_at, error, kind FROM backup_runs WHERE ok = false AND ($1::timestamptz IS NULL OR finished_at > $1) ORDER BY finished_at DESC LIMIT 1`,
    [g?.finished_at ?? null],
  );
  const b = bad[0];
  return {
    lastGood: g ? { at: g.finished_at, file: g.file, bytes: Number(g.bytes), kind: g.kind } : null,
    ageSeconds: g ? Math.max(0, Math.round((now.getTime() - g.finished_at.getTime()) / 1000)) : null,
    lastError: b ? { at: b.finished_at, message: b.error, kind: b.kind } : null,
  };
}

const FILE = /^storelite-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-([a-z]+)(?:-\d+)?\.storelite\.gz$/;

/** Backup files in `dir`, newest first, with the local time and kind from their names. */
export function listBackupFiles(dir: string): { file: string; at: Date; kind: string }[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((name) => ({ name, m: FILE.exec(name) }))
    .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null)
    .map(({ name, m }) => ({
      file: path.join(dir, name),
      at: new Date(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!),
      kind: m[7]!,
    }))
    .sort((a, b) => b.at.getTime() - a.at.getTime() || b.file.localeCompare(a.file));
}

/** Monday of the (local) week, as a key. */
const weekOf = (d: Date) => {
  const monday = new Date(d.getFullYear(), d.getMonth(), d.getDate() - ((d.getDay() + 6) % 7));
  return `${monday.getFullYear()}-${monday.getMonth()}-${monday.getDate()}`;
};

/**
 * Keeps the newest `daily` daily backups, plus the newest backup of each of the
 * `weekly` weeks before those; deletes the other daily files (manual and
 * pre-migration backups are the owner's to delete). Returns the deleted files.
 */
export function pruneBackups(dir: string, daily: number, weekly: number): string[] {
  const files = listBackupFiles(dir).filter((f) => f.kind === "daily");
  const keep = new Set(files.slice(0, daily).map((f) => f.file));
  const weeks = new Set(files.slice(0, daily).map((f) => weekOf(f.at)));
  let kept = 0;
  for (const f of files.slice(daily)) {
    if (kept >= weekly) break;
    const w = weekOf(f.at);
    if (weeks.has(w)) continue;
    weeks.add(w);
    keep.add(f.file);
    kept++;
  }
  const deleted = files.filter((f) => !keep.has(f.file)).map((f) => f.file);
  for (const f of deleted) fs.rmSync(f, { force: true });
  // Leftovers of killed backups (never valid files) older than a day go too.
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith(".partial")) continue;
    const p = path.join(dir, name);
    if (Date.now() - fs.statSync(p).mtimeMs > 86_400_000) fs.rmSync(p, { force: true });
  }
  return deleted;
}

/** The most recent scheduled time (local "HH:MM") at or before `now`, and its slot key (the local date). */
export function lastScheduledTime(now: Date, time: string): { at: Date; slot: string } {
  const [h, m] = time.split(":").map(Number) as [number, number];
  const at = new Date(now.getFullYear(), now.getMonth(), now.getDate(), h, m, 0, 0);
  if (at > now) at.setDate(at.getDate() - 1);
  const p = (n: number) => String(n).padStart(2, "0");
  return { at, slot: `${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())}` };
}

export interface SchedulerOptions {
  pool: pg.Pool;
  dir: string;
  /** "HH:MM" local time, or "off". */
  time: string;
  keepDaily: number;
  keepWeekly: number;
  log?: (m: string) => void;
  /** First retry delay; doubles per failure up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
  /** How often to look whether a backup is due. */
  checkEveryMs?: number;
}

export interface Scheduler {
  /** Takes the daily backup if it is due and no process took it yet; returns what happened. */
  tick(now?: Date): Promise<"done" | "not-due" | "taken-elsewhere" | "waiting-to-retry" | "failed">;
  stop(): Promise<void>;
}

/**
 * The daily backup. A slot missed while StoreLite was off (or failed) is taken
 * at the next check; a failure waits retryMs, then 2×, 4×... (at most maxRetryMs).
 * `start: false` gives the scheduler without its timer (tests call tick()).
 */
export function createScheduler(opts: SchedulerOptions, start = true): Scheduler {
  const log = opts.log ?? (() => {});
  const retryMs = opts.retryMs ?? 60_000;
  const maxRetryMs = opts.maxRetryMs ?? 3_600_000;
  let failures = 0;
  let retryAt = 0;
  let running: Promise<unknown> | undefined;
  let timer: NodeJS.Timeout | undefined;

  async function tick(now = new Date()): ReturnType<Scheduler["tick"]> {
    if (opts.time === "off") return "not-due";
    if (now.getTime() < retryAt) return "waiting-to-retry";
    const { slot, at } = lastScheduledTime(now, opts.time);
    // A database created after the slot's time has missed nothing (a first start at noon waits for the night).
    const { rows: created } = await opts.pool.query<{ first: Date | null }>(`SELECT min(finished_at) AS first FROM _prisma_migrations`);
    if (created[0]?.first && created[0].first > at) return "not-due";
    const done = async () =>
      (await opts.pool.query(`SELECT 1 FROM backup_runs WHERE kind = 'daily' AND slot = $1 AND ok`, [slot])).rowCount! > 0;
    if (await done()) return "not-due";
    const client = await opts.pool.connect();
    try {
      const { rows } = await client.query<{ got: boolean }>("SELECT pg_try_advisory_lock($1) AS got", [SCHEDULE_LOCK_ID]);
      if (!rows[0]!.got) return "taken-elsewhere";
      try {
        if (await done()) return "taken-elsewhere"; // another process finished it while we looked
        const result = await recordedBackup(opts.pool, opts.dir, "daily", { slot, now });
        const pruned = pruneBackups(opts.dir, opts.keepDaily, opts.keepWeekly);
        log(`Backup ${result.file} (${(result.bytes / 1e6).toFixed(1)} MB)${pruned.length ? `; removed ${pruned.length} old backup(s)` : ""}.`);
        failures = 0;
        retryAt = 0;
        return "done";
      } catch (err) {
        failures++;
        const wait = Math.min(retryMs * 2 ** (failures - 1), maxRetryMs);
        retryAt = now.getTime() + wait;
        log(`Backup to ${opts.dir} failed (${(err as Error).message}); trying again in ${Math.round(wait / 1000)} s.`);
        return "failed";
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [SCHEDULE_LOCK_ID]).catch(() => {});
      }
    } finally {
      client.release();
    }
  }

  if (start && opts.time !== "off") {
    const check = () => {
      if (running) return;
      running = tick()
        .catch((err) => log(`Backup check failed: ${(err as Error).message}`))
        .finally(() => (running = undefined));
    };
    timer = setInterval(check, opts.checkEveryMs ?? 60_000);
    timer.unref();
    setTimeout(check, 5_000).unref(); // a slot missed while StoreLite was off: soon after start
  }
  return {
    tick,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * Before migrations change a database that holds data, a backup at its current
 * level (restore can bring it forward again). Skipped for a new database.
 */
export async function backupBeforeMigrating(pool: pg.Pool, dir: string, log: (m: string) => void): Promise<BackupFile | undefined> {
  const pending = await pendingMigrations(pool);
  if (!pending.length || (await appliedMigrations(pool)).size === 0) return undefined;
  if (!(await nonEmptyTables(pool)).length) return undefined;
  try {
    const result = await recordedBackup(pool, dir, "premigrate");
    log(`Backed up to ${result.file} before applying ${pending.length} migration(s).`);
    return result;
  } catch (err) {
    throw new Error(
      `Could not back up the database before migrating it (${(err as Error).message}). ` +
        "Fix STORELITE_BACKUP_DIR, or set STORELITE_BACKUP_BEFORE_MIGRATE=false to migrate without a backup.",
    );
  }
}

export { BACKUP_EXTENSION };
