// Checking and restoring a backup file. Restore verifies every checksum first,
// then rebuilds the schema at the backup's migration level, loads the data,
// sets the sequences, applies the newer migrations and checks the books: all in
// one transaction, so a failure anywhere leaves the database as it was.
import crypto from "node:crypto";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { applyMigrations, MIGRATION_LOCK_ID, readMigrations, type Migration } from "../db/migrate.ts";
import { bookViolations } from "../domain/books.ts";
import { DomainError } from "../domain/errors.ts";
import { dropSchemaObjects, ident, nonEmptyTables, setAsideForLoad } from "./catalog.ts";
import {
  BackupFileError,
  FORMAT_VERSION,
  countNewlines,
  MAGIC,
  SESSION_SETTINGS,
  parseJson,
  readFrames,
  type Header,
  type Manifest,
  type TableEnd,
  type TableStart,
} from "./format.ts";

/** The database already holds data and --force was not given: nothing was changed. */
export class DatabaseNotEmptyError extends DomainError {
  readonly code = "DATABASE_NOT_EMPTY";
  constructor(readonly tables: { table: string; rows: number }[]) {
    super(
      `The database is not empty (${tables.map((t) => `${t.table}: ${t.rows} rows`).join(", ")}). ` +
        "Restoring would replace all of it; run the restore again with --force to do so.",
    );
  }
}

/** The backup has migrations this StoreLite does not know: it was made by a newer version. */
export class BackupTooNewError extends DomainError {
  readonly code = "BACKUP_TOO_NEW";
  constructor(readonly unknown: string[]) {
    super(`The backup was made by a newer StoreLite (schema migrations ${unknown.join(", ")} are unknown here). Update StoreLite, then restore.`);
  }
}

/** The restored data breaks the books' invariants: the restore was rolled back. */
export class RestoreBooksError extends DomainError {
  readonly code = "RESTORE_BOOKS_WRONG";
  constructor(readonly violations: string[]) {
    super(`The restored books do not add up, so nothing was restored: ${violations.join("; ")}`);
  }
}

interface ScanHandlers {
  tableStart?: (t: TableStart) => Promise<void>;
  data?: (chunk: Buffer) => Promise<void>;
  tableEnd?: (t: TableEnd) => Promise<void>;
}

/**
 * Reads a whole backup, checking its structure, every table's row count and
 * sha256 against the file's own records and its manifest; returns the manifest.
 */
async function scanBackup(file: string, on: ScanHandlers = {}): Promise<Manifest> {
  let header: Header | undefined;
  let manifest: Manifest | undefined;
  let current: { start: TableStart; hash: crypto.Hash; rows: number; bytes: number } | undefined;
  const ended: TableEnd[] = [];
  for await (const { type, payload } of readFrames(file)) {
    if (manifest) throw new BackupFileError(file, "there is data after its manifest");
    if (type === "S") {
      if (header) throw new BackupFileError(file, "it has two headers");
      header = parseJson<Header>(file, payload.subarray(MAGIC.length + 1), "header");
      if (typeof header.format !== "number") throw new BackupFileError(file, "its header has no format version");
      if (header.format > FORMAT_VERSION) {
        throw new BackupFileError(file, `it uses backup format ${header.format}, newer than this StoreLite reads (${FORMAT_VERSION}); update StoreLite`);
      }
    } else if (type === "T") {
      if (current) throw new BackupFileError(file, `table ${current.start.name} is not closed`);
      const start = parseJson<TableStart>(file, payload, "table header");
      current = { start, hash: crypto.createHash("sha256"), rows: 0, bytes: 0 };
      await on.tableStart?.(start);
    } else if (type === "D") {
      if (!current) throw new BackupFileError(file, "data outside a table");
      current.hash.update(payload);
      current.rows += countNewlines(payload);
      current.bytes += payload.length;
      await on.data?.(payload);
    } else if (type === "E") {
      if (!current) throw new BackupFileError(file, "a table end without its start");
      const end = parseJson<TableEnd>(file, payload, "table summary");
      const sha256 = current.hash.digest("hex");
      if (end.name !== current.start.name || end.rows !== current.rows || end.sha256 !== sha256) {
        throw new BackupFileError(file, `table ${current.start.name} does not match its checksum (corrupted)`);
      }
      ended.push(end);
      current = undefined;
      await on.tableEnd?.(end);
    } else {
      if (current) throw new BackupFileError(file, `table ${current.start.name} is not closed`);
      manifest = parseJson<Manifest>(file, payload, "manifest");
    }
  }
  if (!manifest) throw new BackupFileError(file, "it is incomplete (no manifest at the end)");
  const same =
    Array.isArray(manifest.tables) &&
    manifest.tables.length === ended.length &&
    manifest.tables.every((t, i) => t.name === ended[i]!.name && t.rows === ended[i]!.rows && t.sha256 === ended[i]!.sha256);
  if (!same) throw new BackupFileError(file, "its manifest does not match the tables in it");
  return manifest;
}

/** `storelite backup verify`: reads the whole file; throws BackupFileError unless it is complete and intact. */
export async function verifyBackup(file: string): Promise<Manifest> {
  return scanBackup(file);
}

export interface RestoreResult {
  manifest: Manifest;
  /** What was in the database before (only with force). */
  replaced: { table: string; rows: number }[];
  migrationsApplied: string[];
  /** Milliseconds per step: verify, schema, load, keys (indexes and foreign keys), migrate, books. */
  phases: Record<"verify" | "schema" | "load" | "keys" | "migrate" | "books", number>;
  rows: number;
  durationMs: number;
}

/** The backup's migrations, as this StoreLite's files; throws when one is unknown. */
function backupLevel(manifest: Manifest, known: Migration[]): Migration[] {
  const byName = new Map(known.map((m) => [m.name, m]));
  const unknown = manifest.migrations.filter((m) => !byName.has(m.name)).map((m) => m.name);
  if (unknown.length) throw new BackupTooNewError(unknown);
  return manifest.migrations.map((m) => byName.get(m.name)!);
}

/**
 * The tables holding rows beyond those StoreLite's migrations insert themselves
 * (the default shop, settings): a freshly set-up database counts as empty. The
 * seed rows are counted by rebuilding this database's schema at its own level
 * inside a savepoint that is then rolled back, so nothing is changed.
 */
async function holdingData(client: pg.PoolClient, known: Migration[]): Promise<{ table: string; rows: number }[]> {
  const found = await nonEmptyTables(client);
  if (!found.length) return found;
  const { rows: meta } = await client.query<{ t: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS t`);
  const applied = meta[0]!.t
    ? new Set((await client.query<{ name: string }>(`SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`)).rows.map((r) => r.name))
    : new Set<string>();
  const level = known.filter((m) => applied.has(m.name));
  if (!level.length) return found;
  await client.query("SAVEPOINT storelite_seed_rows");
  let seeded: Map<string, number>;
  try {
    await dropSchemaObjects(client);
    await applyMigrations(client, level);
    seeded = new Map((await nonEmptyTables(client)).map((t) => [t.table, t.rows]));
  } finally {
    await client.query("ROLLBACK TO SAVEPOINT storelite_seed_rows");
    await client.query("RELEASE SAVEPOINT storelite_seed_rows");
  }
  return found.filter((t) => t.rows > (seeded.get(t.table) ?? 0));
}

export async function restoreBackup(
  pool: pg.Pool,
  file: string,
  opts: { force?: boolean; log?: (m: string) => void; /** The migrations to rebuild with (default: prisma/migrations). */ migrations?: Migration[] } = {},
): Promise<RestoreResult> {
  const started = Date.now();
  const log = opts.log ?? (() => {});
  const manifest = await verifyBackup(file);
  const phases = {} as RestoreResult["phases"];
  let mark = started;
  const lap = (name: keyof RestoreResult["phases"]) => {
    const now = Date.now();
    phases[name] = now - mark;
    mark = now;
  };
  lap("verify");
  const known = opts.migrations ?? readMigrations();
  const level = backupLevel(manifest, known);
  for (const m of manifest.migrations) {
    const ours = level.find((l) => l.name === m.name);
    if (ours && ours.checksum !== m.checksum) log(`Warning: migration ${m.name} differs from the one the backup's database applied (it was edited since); using this StoreLite's.`);
  }
  log(`Backup verified: ${manifest.tables.length} tables, ${manifest.totalRows} rows, made ${manifest.createdAt} by StoreLite ${manifest.storeliteVersion}.`);

  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    for (const s of SESSION_SETTINGS) await client.query(s);
    // The migration lock: no StoreLite process starting meanwhile migrates this database under us.
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_ID]);
    const replaced = await holdingData(client, known);
    if (replaced.length && !opts.force) throw new DatabaseNotEmptyError(replaced);
    await dropSchemaObjects(client);
    await applyMigrations(client, level);

    const putBack = await setAsideForLoad(client);
    // Migrations may insert rows of their own (the default shop, settings): the backup's rows replace them,
    // so the tables it restores start empty. (Foreign keys are set aside, so no CASCADE reaches other tables.)
    const restored: string[] = [];
    for (const t of manifest.tables) {
      const { rows } = await client.query<{ t: string | null }>(`SELECT to_regclass($1)::text AS t`, [ident(t.name)]);
      if (rows[0]!.t) restored.push(ident(t.name));
    }
    if (restored.length) await client.query(`TRUNCATE ${restored.join(", ")}`);
    lap("schema");
    let copy: ReturnType<typeof copyFrom> | undefined;
    let copyError: Error | undefined;
    let loading: string | undefined;
    await scanBackup(file, {
      tableStart: async (t) => {
        const { rows } = await client.query<{ t: string | null }>(`SELECT to_regclass($1)::text AS t`, [ident(t.name)]);
        if (!rows[0]!.t) throw new Error(`The backup has a table "${t.name}" that StoreLite's migrations at the backup's level do not create; nothing was restored.`);
        // The rows are restored as they were: triggers (say, one that writes an audit row) must not fire again.
        // (Foreign keys are set aside for the load and checked in bulk afterwards.)
        await client.query(`ALTER TABLE ${ident(t.name)} DISABLE TRIGGER USER`);
        loading = t.name;
        copy = client.query(copyFrom(`COPY ${ident(t.name)} (${t.columns.map(ident).join(", ")}) FROM STDIN`));
        copy.on("error", (err) => (copyError = err));
      },
      data: async (chunk) => {
        if (copyError) throw copyError;
        // Backpressure: wait for PostgreSQL to take what was sent (events.once also rejects on an error).
        if (!copy!.write(chunk)) await once(copy!, "drain");
      },
      tableEnd: async (t) => {
        copy!.end();
        await finished(copy!).catch((err) => (copyError ??= err));
        if (copyError) throw new Error(`table ${t.name}: ${copyError.message}`);
        copy = undefined;
        await client.query(`ALTER TABLE ${ident(loading!)} ENABLE TRIGGER USER`);
      },
    }).catch((err) => {
      // A COPY left open means the connection is unusable: drop it rather than wait on it.
      if (copy) broken = err;
      throw err;
    });
    for (const s of manifest.sequences) {
      await client.query(`SELECT setval($1::regclass, $2::bigint, $3)`, [ident(s.name), s.lastValue, s.isCalled]);
    }
    lap("load");
    // Room to sort while the indexes are built (this transaction only).
    await client.query("SET LOCAL maintenance_work_mem = '128MB'");
    try {
      await putBack();
    } catch (err) {
      throw new Error(`The backup's rows break the schema's rules, so nothing was restored: ${(err as Error).message}`);
    }
    lap("keys");
    const newer = known.filter((m) => !level.includes(m));
    await applyMigrations(client, newer);
    lap("migrate");
    const violations = await bookViolations(client);
    lap("books");
    if (violations.length) throw new RestoreBooksError(violations);
    await client.query("COMMIT");
    if (newer.length) log(`Applied ${newer.length} newer migration(s): ${newer.map((m) => m.name).join(", ")}.`);
    return { manifest, replaced, migrationsApplied: newer.map((m) => m.name), rows: manifest.totalRows, durationMs: Date.now() - started, phases };
  } catch (err) {
    if (!broken) await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release(broken);
  }
}
