// Backups and restore on real PostgreSQL databases: a backup taken while sales
// go on restores to exactly its snapshot; a round trip keeps every row of every
// table; truncated, corrupted and foreign files are refused with nothing
// changed; an older-schema backup restores and is migrated forward.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createBackupFile } from "../src/backup/backup.ts";
import { dropSchemaObjects, listTables } from "../src/backup/catalog.ts";
import { BackupFileError } from "../src/backup/format.ts";
import { DatabaseNotEmptyError, restoreBackup, verifyBackup } from "../src/backup/restore.ts";
import { applyMigrations, readMigrations } from "../src/db/migrate.ts";
import { systemActor } from "../src/domain/access.ts";
import { createBill } from "../src/domain/bills.ts";
import type { ServiceContext } from "../src/domain/context.ts";
import { createItem, updateItem } from "../src/domain/items.ts";
import { adjustStock } from "../src/domain/stock.ts";
import { bookViolations } from "../src/testing/books.ts";
import { databaseChecksum, tableChecksums } from "../src/testing/checksum.ts";
import { useTestDatabase } from "../src/testing/fixtures.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/postgres.ts";

const source = useTestDatabase(12);
let dir = "";
const extra: TestDatabase[] = [];

/** Another fresh, migrated, empty database on the test server. */
async function freshDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase(inject("pgServerUrl"), 4);
  extra.push(db);
  return db;
}

const ctxOf = (db: TestDatabase["db"]): ServiceContext => ({ db, actor: systemActor("test") });

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "storelite-backup-test-"));
});
afterAll(async () => {
  for (const d of extra) await d.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A shop with every kind of row this branch has: items, bills, lines, movements, agent sessions, chatkit threads. */
async function fillShop(ctx: ServiceContext) {
  const sugar = await createItem(ctx, { name: "Sugar", category: "Grocery", unit: "kg", unitPrice: "160.00", stockQty: "500", sku: "GRO-SUG" });
  const soap = await createItem(ctx, { name: "Soap \"Rose\"\tbar\nwith a newline \\ and tab", unitPrice: "85.50", stockQty: "200" });
  const shampoo = await createItem(ctx, { name: "شامپو Shampoo ✓", category: "Beauty", unit: "bottle", unitPrice: "450.00", stockQty: "40" });
  await createItem(ctx, { name: "Old item", unitPrice: "1.00" }).then((i) => updateItem(ctx, i.id, { isActive: false }));
  for (let i = 0; i < 20; i++) {
    await createBill(ctx, {
      customerName: i % 3 ? `Customer ${i}` : undefined,
      storeName: "Utility Store #1",
      idempotencyKey: `k-${i}`,
      lines: [
        { itemId: String(sugar.id), quantity: "1.5" },
        { itemId: String(i % 2 ? soap.id : shampoo.id), quantity: "1" },
      ],
    });
  }
  await adjustStock(ctx, { itemId: String(sugar.id), delta: "25", reason: "restock", note: "delivery" });
  const pool = ctx.db.pool;
  await pool.query(`INSERT INTO agent_sessions (id, pending_state) VALUES ('s1', '{"run": "waiting"}'), ('s2', NULL)`);
  await pool.query(`INSERT INTO agent_session_items (session_id, item) VALUES ('s1', '{"role": "user", "content": "add 10 kg sugar"}'), ('s1', '[1, 2.50, null]')`);
  await pool.query(`INSERT INTO chatkit_threads (id, title, status, metadata) VALUES ('thr_1', 'Stock', '{"type": "active"}', '{}')`);
  await pool.query(`INSERT INTO chatkit_items (id, thread_id, type, data) VALUES ('msg_1', 'thr_1', 'user_message', '{"text": "hi ☺"}')`);
}

describe("round trip", () => {
  it("restores every row of every table, and the sequences go on after the restored ids", async () => {
    await fillShop(source.ctx());
    const tables = await listTables(source.db.pool);
    // Every kind of row on this branch is present, so the comparison below means something.
    for (const t of ["items", "bills", "bill_items", "stock_movements", "agent_sessions", "agent_session_items", "chatkit_threads", "chatkit_items"]) {
      expect(tables.map((x) => x.name)).toContain(t);
      expect(Number((await source.db.pool.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n), t).toBeGreaterThan(0);
    }
    // Parents come before children.
    const order = tables.map((t) => t.name);
    expect(order.indexOf("bills")).toBeLessThan(order.indexOf("bill_items"));
    expect(order.indexOf("items")).toBeLessThan(order.indexOf("stock_movements"));
    expect(order).not.toContain("_prisma_migrations");

    const before = await tableChecksums(source.db.pool);
    const { file, manifest } = await createBackupFile(source.db.pool, dir);
    expect(path.basename(file)).toMatch(/^storelite-\d{8}-\d{6}-manual\.storelite\.gz$/);
    expect(manifest.tables.map((t) => t.name)).toEqual(order);
    expect(manifest.migrations.map((m) => m.name)).toEqual(readMigrations().map((m) => m.name));
    expect((await verifyBackup(file)).totalRows).toBe(manifest.totalRows);

    const target = await freshDatabase();
    // One connection, so the restore and the check below share it: its settings come back unchanged.
    const single = new pg.Pool({ connectionString: target.url, max: 1 });
    await single.query("SET TimeZone = 'Asia/Karachi'");
    const result = await restoreBackup(single, file);
    expect((await single.query("SHOW TimeZone")).rows[0].TimeZone).toBe("Asia/Karachi");
    await createBackupFile(single, dir);
    expect((await single.query("SHOW TimeZone")).rows[0].TimeZone).toBe("Asia/Karachi");
    await single.end();
    expect(result.replaced).toEqual([]);
    expect(await tableChecksums(target.db.pool)).toEqual(before);
    expect(await bookViolations(target.db.pool)).toEqual([]);
    // New rows get new ids, not ones that collide with restored rows.
    const maxBill = (await target.db.pool.query(`SELECT max(id) AS m FROM bills`)).rows[0].m as number;
    const { bill } = await createBill(ctxOf(target.db), { lines: [{ itemId: "1", quantity: "1" }] });
    expect(bill.id).toBeGreaterThan(maxBill);
  });
});

describe("tables no one told the backup about", () => {
  // What another feature's migration might add: a custom type, an identity column, a generated
  // column, a self-reference, a foreign key to bills, and a trigger that writes rows of its own.
  const extra = {
    name: "20991231000000_test_gift_cards",
    checksum: "test",
    sql: `
      CREATE TYPE card_state AS ENUM ('active', 'spent');
      CREATE TABLE gift_cards (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        state card_state NOT NULL DEFAULT 'active',
        amount NUMERIC(12,2) NOT NULL,
        amount_cents BIGINT GENERATED ALWAYS AS ((amount * 100)::bigint) STORED,
        replaces BIGINT REFERENCES gift_cards(id),
        bill_id INTEGER REFERENCES bills(id),
        tags TEXT[], raw BYTEA, valid DATERANGE
      );
      CREATE TABLE gift_card_log (id SERIAL PRIMARY KEY, card_id BIGINT NOT NULL REFERENCES gift_cards(id), note TEXT);
      CREATE FUNCTION log_card() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO gift_card_log (card_id, note) VALUES (NEW.id, 'issued'); RETURN NEW; END $$;
      CREATE TRIGGER gift_cards_log AFTER INSERT ON gift_cards FOR EACH ROW EXECUTE FUNCTION log_card();`,
  };

  it("backs up and restores them, with their sequences, without firing their triggers again", async () => {
    const src = await freshDatabase();
    const c = await src.db.pool.connect();
    await c.query("BEGIN");
    await applyMigrations(c, [extra]);
    await c.query("COMMIT");
    c.release();
    const ctx = ctxOf(src.db);
    const item = await createItem(ctx, { name: "Pen", unitPrice: "20", stockQty: "10" });
    const { bill } = await createBill(ctx, { lines: [{ itemId: String(item.id), quantity: "1" }] });
    await src.db.pool.query(
      `INSERT INTO gift_cards (code, amount, bill_id, tags, raw, valid) VALUES ('A-1', 500.25, $1, '{birthday,"with, comma"}', '\\x00ff', '[2026-01-01,2026-12-31)')`,
      [bill.id],
    );
    await src.db.pool.query(`INSERT INTO gift_cards (code, amount, replaces, state) VALUES ('A-2', 10, 1, 'spent')`);
    const before = await tableChecksums(src.db.pool);
    expect(Object.keys(before)).toEqual(expect.arrayContaining(["gift_cards", "gift_card_log"]));
    expect(before.gift_card_log).toMatch(/^2:/);

    const { file, manifest } = await createBackupFile(src.db.pool, dir);
    const order = manifest.tables.map((t) => t.name);
    expect(order.indexOf("bills")).toBeLessThan(order.indexOf("gift_cards"));
    expect(order.indexOf("gift_cards")).toBeLessThan(order.indexOf("gift_card_log"));
    const target = await freshDatabase();
    await restoreBackup(target.db.pool, file, { migrations: [...readMigrations(), extra] });
    expect(await tableChecksums(target.db.pool)).toEqual(before); // 2 log rows, not 4
    const next = await target.db.pool.query(`INSERT INTO gift_cards (code, amount) VALUES ('A-3', 1) RETURNING id, amount_cents`);
    expect(next.rows[0]).toEqual({ id: "3", amount_cents: "100" });
    // The trigger works again after the restore.
    expect((await target.db.pool.query(`SELECT count(*)::int AS n FROM gift_card_log`)).rows[0].n).toBe(3);
  });
});

describe("a backup while sales go on", () => {
  it("holds exactly the bills committed before its snapshot, and the books add up", async () => {
    const src = await freshDatabase();
    const ctx = ctxOf(src.db);
    const items: { id: number }[] = [];
    for (let i = 0; i < 5; i++) items.push(await createItem(ctx, { name: `Item ${i}`, unitPrice: "10.00", stockQty: "100000" }));
    // Some data so the backup takes a moment while the sales continue.
    await src.db.pool.query(`INSERT INTO agent_session_items (session_id, item)
      SELECT 's', jsonb_build_object('n', g, 'pad', repeat('x', 200)) FROM generate_series(1, 20000) g`.replace("INSERT", "WITH s AS (INSERT INTO agent_sessions (id) VALUES ('s')) INSERT"));

    type Sale = { id: number; startedAt: number; doneAt: number };
    const sales: Sale[] = [];
    let stop = false;
    const workers = Array.from({ length: 4 }, async (_, w) => {
      for (let n = 0; !stop; n++) {
        const startedAt = performance.now();
        const { bill } = await createBill(ctx, {
          idempotencyKey: `w${w}-${n}`,
          lines: [
            { itemId: String(items[n % 5]!.id), quantity: "1" },
            { itemId: String(items[(n + w + 1) % 5]!.id), quantity: "0.5" },
          ],
        });
        sales.push({ id: bill.id, startedAt, doneAt: performance.now() });
      }
    });
    while (sales.length < 30) await new Promise((r) => setTimeout(r, 10));

    let atSnapshot: Record<string, string> = {};
    let snapshotAt = 0;
    const beforeBackup = performance.now();
    const { file } = await createBackupFile(src.db.pool, dir, {
      onSnapshot: async (snapshot) => {
        snapshotAt = performance.now();
        // The same snapshot from another connection: what the backup must contain.
        const c = new pg.Client({ connectionString: src.url });
        await c.connect();
        await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        await c.query(`SET TRANSACTION SNAPSHOT '${snapshot}'`);
        atSnapshot = await tableChecksums(c);
        await c.query("COMMIT");
        await c.end();
      },
    });
    const soldDuringBackup = sales.filter((s) => s.doneAt > snapshotAt).length;
    await new Promise((r) => setTimeout(r, 100));
    stop = true;
    await Promise.all(workers);
    expect(soldDuringBackup).toBeGreaterThan(0); // sales really went on during the backup

    const target = await freshDatabase();
    await restoreBackup(target.db.pool, file);
    expect(await tableChecksums(target.db.pool)).toEqual(atSnapshot);
    const restored = new Set(
      (await target.db.pool.query<{ id: number }>(`SELECT id FROM bills`)).rows.map((r) => r.id),
    );
    const committedBefore = sales.filter((s) => s.doneAt < beforeBackup);
    const startedAfter = sales.filter((s) => s.startedAt > snapshotAt);
    expect(committedBefore.length).toBeGreaterThan(0);
    expect(startedAfter.length).toBeGreaterThan(0);
    for (const s of committedBefore) expect(restored.has(s.id), `bill ${s.id} committed before the snapshot`).toBe(true);
    for (const s of startedAfter) expect(restored.has(s.id), `bill ${s.id} started after the snapshot`).toBe(false);
    expect(await bookViolations(target.db.pool)).toEqual([]);
    expect(await bookViolations(src.db.pool)).toEqual([]);
  });
});

describe("bad files and non-empty databases", () => {
  let good = "";
  let target: TestDatabase;
  let checksum = "";

  beforeAll(async () => {
    good = (await createBackupFile(source.db.pool, dir)).file;
    target = await freshDatabase();
    await createItem(ctxOf(target.db), { name: "Tea", unitPrice: "450", stockQty: "3" });
    checksum = await databaseChecksum(target.db.pool);
  });

  const variants: [string, () => string, RegExp][] = [
    ["truncated", () => write("truncated", fs.readFileSync(good).subarray(0, Math.floor(fs.statSync(good).size / 2))), /truncated/],
    ["cut before the gzip trailer", () => write("no-trailer", fs.readFileSync(good).subarray(0, fs.statSync(good).size - 4)), /truncated|corrupted/],
    [
      "corrupted",
      () => {
        const bytes = Buffer.from(fs.readFileSync(good));
        const at = Math.floor(bytes.length / 2);
        bytes[at] = bytes[at]! ^ 0xff;
        return write("corrupted", bytes);
      },
      /corrupted|damaged|checksum/,
    ],
    ["foreign (not gzip)", () => write("foreign.txt", Buffer.from("PGDMP this is some other dump\n")), /not gzip-compressed/],
    ["foreign (gzip of something else)", () => write("foreign.gz", gzipSync(Buffer.from("hello, world\n".repeat(100)))), /does not start with a StoreLite backup header/],
    ["empty", () => write("empty", Buffer.alloc(0)), /not gzip-compressed/],
    ["missing", () => path.join(dir, "no-such-file"), /cannot open it/],
  ];
  function write(name: string, bytes: Buffer) {
    const f = path.join(dir, `bad-${name}`);
    fs.writeFileSync(f, bytes);
    return f;
  }

  for (const [what, make, message] of variants) {
    it(`refuses a ${what} file and changes nothing, even with --force`, async () => {
      const file = make();
      await expect(verifyBackup(file)).rejects.toSatisfy((e) => e instanceof BackupFileError && message.test(e.message));
      await expect(restoreBackup(target.db.pool, file, { force: true })).rejects.toBeInstanceOf(BackupFileError);
      expect(await databaseChecksum(target.db.pool)).toBe(checksum);
    });
  }

  it("refuses a non-empty database without --force, naming what would be replaced", async () => {
    const err = await restoreBackup(target.db.pool, good).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseNotEmptyError);
    expect((err as DatabaseNotEmptyError).tables).toEqual(expect.arrayContaining([{ table: "items", rows: 1 }, { table: "stock_movements", rows: 1 }]));
    expect((err as Error).message).toMatch(/items: 1 rows.*--force/);
    expect(await databaseChecksum(target.db.pool)).toBe(checksum);
  });

  it("refuses rows that break a foreign key, checked in bulk after the load, and changes nothing", async () => {
    const broken = await freshDatabase();
    await createItem(ctxOf(broken.db), { name: "Ink", unitPrice: "5", stockQty: "1" });
    // Someone dropped a foreign key by hand and left an orphan behind.
    await broken.db.pool.query(`ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_bill_id_fkey`);
    await broken.db.pool.query(`INSERT INTO stock_movements (item_id, quantity, stock_after, reason, bill_id) VALUES (1, 0.5, 1.5, 'return', 999)`);
    await broken.db.pool.query(`UPDATE items SET stock_qty = 1.5`);
    const { file } = await createBackupFile(broken.db.pool, dir);
    await expect(restoreBackup(target.db.pool, file, { force: true })).rejects.toThrow(/break the schema's rules.*stock_movements_bill_id_fkey/);
    expect(await databaseChecksum(target.db.pool)).toBe(checksum);
    // The foreign keys and indexes are all there still.
    const fks = await target.db.pool.query(`SELECT count(*)::int AS n FROM pg_constraint WHERE contype = 'f'`);
    expect(fks.rows[0].n).toBeGreaterThanOrEqual(4);
  });

  it("replaces everything with --force", async () => {
    const result = await restoreBackup(target.db.pool, good, { force: true });
    expect(result.replaced).toEqual(expect.arrayContaining([{ table: "items", rows: 1 }]));
    expect(await tableChecksums(target.db.pool)).toEqual(await tableChecksums(source.db.pool));
  });
});

describe("an older-schema backup", () => {
  it("restores at its own level, then the newer migrations run over the data", async () => {
    const old = await freshDatabase();
    const all = readMigrations();
    const first = all[0]!;
    // Rebuild this database at the first migration only, as an early StoreLite left it.
    const c = await old.db.pool.connect();
    await c.query("BEGIN");
    await dropSchemaObjects(c);
    await applyMigrations(c, [first]);
    await c.query("COMMIT");
    c.release();
    const tablesThen = (await listTables(old.db.pool)).map((t) => t.name);
    expect(tablesThen).not.toContain("agent_sessions");
    await old.db.pool.query(`INSERT INTO items (name, unit_price, stock_qty) VALUES ('Flour', 95, 0)`);
    await old.db.pool.query(`INSERT INTO stock_movements (item_id, quantity, stock_after, reason) VALUES (1, 50, 50, 'restock')`);
    await old.db.pool.query(`UPDATE items SET stock_qty = 50`);
    const { file, manifest } = await createBackupFile(old.db.pool, dir);
    expect(manifest.migrations.map((m) => m.name)).toEqual([first.name]);

    const target = await freshDatabase();
    await createItem(ctxOf(target.db), { name: "Will be replaced", unitPrice: "1" });
    const result = await restoreBackup(target.db.pool, file, { force: true });
    expect(result.migrationsApplied).toEqual(all.slice(1).map((m) => m.name));
    const applied = (await target.db.pool.query(`SELECT migration_name FROM _prisma_migrations ORDER BY migration_name`)).rows.map((r) => r.migration_name);
    expect(applied).toEqual(all.map((m) => m.name));
    const items = (await target.db.pool.query(`SELECT name, stock_qty::text FROM items`)).rows;
    expect(items).toEqual([{ name: "Flour", stock_qty: "50.000" }]);
    // The newer schema works on the restored data.
    const { bill } = await createBill(ctxOf(target.db), { lines: [{ itemId: "1", quantity: "2" }] });
    expect(bill.totalAmount.toFixed(2)).toBe("190.00");
    expect(await bookViolations(target.db.pool)).toEqual([]);
  });
});
