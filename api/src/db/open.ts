// Everything a process needs before it can serve: a database (the configured
// one, or an embedded PostgreSQL), migrations applied, demo data on first start.
// The API server, the console program and the MCP server all start here.
import { demoCatalogue } from "../../../prisma/seed.ts";
import { backupBeforeMigrating } from "../backup/schedule.ts";
import { systemActor } from "../domain/access.ts";
import { createItem } from "../domain/items.ts";
import { ensureOwnerFromEnv } from "../domain/staff.ts";
import type { Env } from "../env.ts";
import { connectDatabase, type Database } from "./database.ts";
import { embeddedOptions, startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded.ts";
import { migrate } from "./migrate.ts";

export interface OpenDatabase {
  db: Database;
  url: string;
  embedded?: EmbeddedPostgres;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** false: connect only, no migrations, no demo data (backup and restore want the database as it is). */
  prepare?: boolean;
}

export async function openDatabase(env: Env, log: (m: string) => void = () => {}, opts: OpenOptions = {}): Promise<OpenDatabase> {
  let embedded: EmbeddedPostgres | undefined;
  let url = env.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedPostgres(embeddedOptions(env, log));
    url = embedded.url;
    log(`Embedded PostgreSQL ${embedded.owned ? "running" : "shared"} on 127.0.0.1:${embedded.port} (data in ${embedded.dataDir})`);
  }
  const db = connectDatabase(url, env.STORELITE_DB_POOL_SIZE);
  try {
    if (opts.prepare !== false) {
      if (env.STORELITE_BACKUP_BEFORE_MIGRATE) await backupBeforeMigrating(db.pool, env.backupDir, log);
      const applied = await migrate(db.pool, log);
      if (applied.length && env.STORELITE_SEED_DEMO) await seedDemo(db, log);
      const owner = await ensureOwnerFromEnv(db, env);
      if (owner) log(`Created the owner account "${owner.username}" from STORELITE_OWNER_USERNAME / STORELITE_OWNER_PASSWORD.`);
    }
  } catch (err) {
    await db.close();
    await embedded?.stop();
    throw err;
  }
  return {
    db,
    url,
    embedded,
    async close() {
      await db.close();
      await embedded?.stop();
    },
  };
}

/** Loads the demo catalogue into an empty database. */
export async function seedDemo(db: Database, log: (m: string) => void = () => {}) {
  const { rows } = await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM items");
  if (Number(rows[0]!.n) > 0) return;
  const ctx = { db, actor: systemActor("seed") };
  for (const item of demoCatalogue) await createItem(ctx, item);
  log(`Loaded the demo catalogue (${demoCatalogue.length} items).`);
}
