// Applies prisma/migrations/*/migration.sql in order and records each in
// _prisma_migrations exactly as `prisma migrate deploy` does, so either tool
// can take over. An advisory lock keeps two starting processes from racing.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { projectRoot } from "../env.ts";

export const migrationsDir = path.join(projectRoot, "prisma", "migrations");
export const MIGRATION_LOCK_ID = 72707369;
const LOCK_ID = MIGRATION_LOCK_ID; // the advisory lock id Prisma's migrate uses

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = migrationsDir): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: crypto.createHash("sha256").update(sql).digest("hex") };
    });
}

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** Names and checksums of the migrations recorded as applied (none if the table is missing). */
export async function appliedMigrations(client: pg.ClientBase | pg.Pool): Promise<Map<string, string>> {
  const { rows: exists } = await client.query<{ t: string | null }>(`SELECT to_regclass('_prisma_migrations')::text AS t`);
  if (!exists[0]?.t) return new Map();
  const { rows } = await client.query<{ migration_name: string; checksum: string }>(
    `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
  );
  return new Map(rows.map((r) => [r.migration_name, r.checksum]));
}

/** The migrations in prisma/migrations not yet applied to this database. */
export async function pendingMigrations(pool: pg.Pool): Promise<Migration[]> {
  const applied = await appliedMigrations(pool);
  return readMigrations().filter((m) => !applied.has(m.name));
}

/**
 * Applies the given migrations inside the caller's transaction (no BEGIN/COMMIT
 * here), recording each; restore uses it to rebuild a schema all-or-nothing.
 */
export async function applyMigrations(client: pg.ClientBase, migrations: Migration[]): Promise<void> {
  await client.query(MIGRATIONS_TABLE);
  for (const m of migrations) {
    try {
      await client.query(m.sql);
    } catch (err) {
      throw new Error(`Migration ${m.name} failed: ${(err as Error).message}`);
    }
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), now(), 1)`,
      [crypto.randomUUID(), m.checksum, m.name],
    );
  }
}

/** Applies pending migrations; returns the names applied now. */
export async function migrate(pool: pg.Pool, log: (m: string) => void = () => {}): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_ID]);
    await client.query(MIGRATIONS_TABLE);
    const applied = await appliedMigrations(client);
    const done: string[] = [];
    for (const m of readMigrations()) {
      const recorded = applied.get(m.name);
      if (recorded !== undefined) {
        if (recorded !== m.checksum) log(`warning: migration ${m.name} was edited after it was applied`);
        continue;
      }
      await client.query("BEGIN");
      try {
        await applyMigrations(client, [m]);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        throw err;
      }
      log(`applied migration ${m.name}`);
      done.push(m.name);
    }
    return done;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_ID]).catch(() => {});
    client.release();
  }
}
