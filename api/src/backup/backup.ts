// Taking a backup: every table read with COPY in one REPEATABLE READ snapshot
// (sales go on meanwhile), streamed through gzip into a temporary file that is
// fsynced and renamed only when complete, so a killed backup leaves no file
// that looks valid.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Writable } from "node:stream";
import { createGzip, constants as zlib } from "node:zlib";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { projectRoot } from "../env.ts";
import { appliedMigrations } from "../db/migrate.ts";
import { ident, listSequences, listTables } from "./catalog.ts";
import { BACKUP_EXTENSION, FORMAT_VERSION, MAGIC, SESSION_SETTINGS, countNewlines, frame, type Header, type Manifest, type TableEnd } from "./format.ts";

export const storeliteVersion: string = JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")).version;

const CHUNK = 256 * 1024;

export interface BackupOptions {
  /** Called inside the snapshot with its id (pg_export_snapshot), before any table is read. */
  onSnapshot?: (snapshotId: string) => Promise<void> | void;
  /** gzip level 1-9; 3 is several times faster than 9 for a little more size. */
  level?: number;
}

/** The frames of one backup, read from one snapshot on `client`. */
async function* backupFrames(client: pg.PoolClient, opts: BackupOptions, done: (m: Manifest) => void): AsyncGenerator<Buffer> {
  const started = Date.now();
  let manifest: Manifest | undefined;
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    for (const s of SESSION_SETTINGS) await client.query(s);
    const { rows } = await client.query<{ snapshot: string; schema: string; version: string }>(
      "SELECT pg_export_snapshot() AS snapshot, current_schema() AS schema, current_setting('server_version') AS version",
    );
    const { snapshot, schema, version } = rows[0]!;
    await opts.onSnapshot?.(snapshot);
    const header: Header = { format: FORMAT_VERSION, storeliteVersion, createdAt: new Date().toISOString() };
    yield frame("S", `${MAGIC}\n${JSON.stringify(header)}`);
    const migrations = [...(await appliedMigrations(client))].map(([name, checksum]) => ({ name, checksum }));
    const tables = await listTables(client);
    const ends: Manifest["tables"] = [];
    for (const t of tables) {
      yield frame("T", JSON.stringify({ name: t.name, columns: t.columns }));
      const cols = t.columns.map(ident).join(", ");
      const sql = t.partitioned ? `COPY (SELECT ${cols} FROM ${ident(t.name)}) TO STDOUT` : `COPY ${ident(t.name)} (${cols}) TO STDOUT`;
      const hash = crypto.createHash("sha256");
      let rowsSeen = 0;
      let bytes = 0;
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      for await (const chunk of client.query(copyTo(sql)) as AsyncIterable<Buffer>) {
        hash.update(chunk);
        rowsSeen += countNewlines(chunk);
        bytes += chunk.length;
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes >= CHUNK) {
          yield frame("D", Buffer.concat(pending));
          pending = [];
          pendingBytes = 0;
        }
      }
      if (pendingBytes) yield frame("D", Buffer.concat(pending));
      const end: TableEnd = { name: t.name, rows: rowsSeen, bytes, sha256: hash.digest("hex") };
      yield frame("E", JSON.stringify(end));
      ends.push({ ...end, columns: t.columns });
    }
    const sequences = await listSequences(client);
    manifest = {
      ...header,
      migrations,
      schema,
      serverVersion: version,
      tables: ends,
      sequences,
      totalRows: ends.reduce((s, t) => s + t.rows, 0),
      dataBytes: ends.reduce((s, t) => s + t.bytes, 0),
      durationMs: Date.now() - started,
    };
    yield frame("M", JSON.stringify(manifest));
    done(manifest);
  } finally {
    // Stopped in the middle (the reader failed), the connection may still be inside a COPY:
    // writeBackup then discards it instead of waiting on a ROLLBACK.
    if (manifest) await client.query("ROLLBACK").catch(() => {});
  }
}

/** Writes a whole backup to `out` (a file, an HTTP response); resolves with its manifest. */
export async function writeBackup(pool: pg.Pool, out: Writable, opts: BackupOptions = {}): Promise<Manifest> {
  const client = await pool.connect();
  let manifest: Manifest | undefined;
  try {
    await pipeline(backupFrames(client, opts, (m) => (manifest = m)), createGzip({ level: opts.level ?? 3, flush: zlib.Z_NO_FLUSH }), out);
  } catch (err) {
    // The COPY may still be running on this connection: do not hand it back to the pool.
    client.release(err as Error);
    throw err;
  }
  client.release();
  return manifest!;
}

export interface BackupFile {
  file: string;
  bytes: number;
  manifest: Manifest;
}

/** `storelite-20261201-023000-daily.storelite.gz`, in local time, so files sort by age. */
export function backupFileName(at: Date, kind: string): string {
  const p = (n: number) => String(n).padStart(2, "0");
  const stamp = `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
  return `storelite-${stamp}-${kind}${BACKUP_EXTENSION}`;
}

/** Backs up into `dir` under a new name; the file appears only once it is complete and on disk. */
export async function createBackupFile(pool: pg.Pool, dir: string, opts: BackupOptions & { kind?: string; now?: Date } = {}): Promise<BackupFile> {
  await fs.promises.mkdir(dir, { recursive: true });
  let name = backupFileName(opts.now ?? new Date(), opts.kind ?? "manual");
  // Two backups in one second (a test, a double click): never overwrite the first.
  for (let i = 2; fs.existsSync(path.join(dir, name)); i++) name = name.replace(/(-\d+)?(\.storelite\.gz)$/, `-${i}$2`);
  const final = path.join(dir, name);
  const temp = path.join(dir, `.${name}.${process.pid}.partial`);
  const fh = await fs.promises.open(temp, "wx");
  try {
    const manifest = await writeBackup(pool, fs.createWriteStream("", { fd: fh.fd, autoClose: false }), opts);
    await fh.sync();
    await fh.close();
    await fs.promises.rename(temp, final);
    await syncDir(dir);
    return { file: final, bytes: (await fs.promises.stat(final)).size, manifest };
  } catch (err) {
    await fh.close().catch(() => {});
    await fs.promises.rm(temp, { force: true });
    throw err;
  }
}

/** fsync of the folder, so the rename itself survives a power cut (not supported everywhere). */
async function syncDir(dir: string) {
  try {
    const d = await fs.promises.open(dir, "r");
    await d.sync().finally(() => d.close());
  } catch {
    // Windows and some network file systems cannot fsync a directory; the file itself is synced.
  }
}
