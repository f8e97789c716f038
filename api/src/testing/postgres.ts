// Test databases on a real PostgreSQL: one embedded server per test run
// (globalSetup), one migrated template, and a fresh copy of it per test file.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { connectDatabase, type Database } from "../db/database.ts";
import { freePort, startEmbeddedPostgres, type EmbeddedPostgres } from "../db/embedded.ts";
import { migrate } from "../db/migrate.ts";

export const TEMPLATE_DB = "storelite_template";

function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Starts a throw-away server with a migrated template database. */
export async function startTestServer(): Promise<{ url: string; server: EmbeddedPostgres; stop(): Promise<void> }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "storelite-test-"));
  fs.chmodSync(root, 0o755);
  // Test files run in parallel, each with its own pools, and some open 64 clients at once.
  const server = await startEmbeddedPostgres({ dataDir: path.join(root, "pg"), port: await freePort(), settings: { max_connections: "200" } });
  const admin = new pg.Client({ connectionString: withDatabase(server.url, "postgres") });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await admin.end();
  const template = connectDatabase(withDatabase(server.url, TEMPLATE_DB), 2);
  await migrate(template.pool);
  await template.close();
  return {
    url: server.url,
    server,
    async stop() {
      await server.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface TestDatabase {
  db: Database;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated, empty database copied from the template. */
export async function createTestDatabase(serverUrl: string, poolSize = 10): Promise<TestDatabase> {
  const name = `t_${crypto.randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, "postgres") });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  await admin.end();
  const url = withDatabase(serverUrl, name);
  const db = connectDatabase(url, poolSize);
  return {
    db,
    url,
    async drop() {
      await db.close();
      const c = new pg.Client({ connectionString: withDatabase(serverUrl, "postgres") });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
