// Automatic backups: the daily schedule (once per day across processes, a
// failing folder reported and retried with backoff), retention of exactly
// N daily + M weekly copies, the backup before migrations, the status on
// GraphQL, the download route and the start-up warning.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { backupFileName } from "../src/backup/backup.ts";
import { dropSchemaObjects } from "../src/backup/catalog.ts";
import { restoreBackup, verifyBackup } from "../src/backup/restore.ts";
import { backupBeforeMigrating, backupStatus, createScheduler, lastScheduledTime, listBackupFiles, pruneBackups } from "../src/backup/schedule.ts";
import { staleBackupWarning } from "../src/backup/startup.ts";
import { applyMigrations, migrate, readMigrations } from "../src/db/migrate.ts";
import { createItem } from "../src/domain/items.ts";
import { tableChecksums } from "../src/testing/checksum.ts";
import { defaultBackupDir, loadEnv } from "../src/env.ts";
import { useTestServer } from "../src/testing/fixtures.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/postgres.ts";

const t = useTestServer();
let root = "";
const extra: TestDatabase[] = [];

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "storelite-backup-schedule-"));
  await createItem(t.ctx(), { name: "Rice", unitPrice: "300", stockQty: "20" });
});
afterAll(async () => {
  for (const d of extra) await d.drop();
  fs.rmSync(root, { recursive: true, force: true });
});

const at = (s: string) => new Date(s); // local time, like the schedule

describe("settings", () => {
  it("takes a time of day or off, counts to keep, and a folder relative to where StoreLite was started", () => {
    const env = loadEnv({});
    expect([env.STORELITE_BACKUP_TIME, env.STORELITE_BACKUP_KEEP_DAILY, env.STORELITE_BACKUP_KEEP_WEEKLY, env.backupDir]).toEqual(["02:30", 7, 4, defaultBackupDir]);
    expect(loadEnv({ STORELITE_BACKUP_TIME: "off" }).STORELITE_BACKUP_TIME).toBe("off");
    expect(loadEnv({ STORELITE_BACKUP_DIR: "usb/backups", INIT_CWD: "/media" }).backupDir).toBe("/media/usb/backups");
    expect(() => loadEnv({ STORELITE_BACKUP_TIME: "25:00", STORELITE_BACKUP_KEEP_DAILY: "-1" })).toThrow(
      /STORELITE_BACKUP_TIME: must be a time of day as HH:MM[\s\S]*STORELITE_BACKUP_KEEP_DAILY: must be 0-1000/,
    );
  });
});

describe("retention", () => {
  it("keeps exactly the newest N daily backups and one for each of the M weeks before them", () => {
    const dir = path.join(root, "retention");
    fs.mkdirSync(dir);
    // 60 days of daily backups, plus a manual one and a pre-migration one, and an old partial file.
    for (let d = 0; d < 60; d++) fs.writeFileSync(path.join(dir, backupFileName(new Date(2026, 9, 1 + d, 2, 30), "daily")), "");
    fs.writeFileSync(path.join(dir, backupFileName(new Date(2026, 9, 3, 12, 0), "manual")), "");
    fs.writeFileSync(path.join(dir, backupFileName(new Date(2026, 9, 4, 12, 0), "premigrate")), "");
    const partial = path.join(dir, ".storelite-x.partial");
    fs.writeFileSync(partial, "");
    fs.utimesSync(partial, new Date(2026, 0, 1), new Date(2026, 0, 1));

    pruneBackups(dir, 7, 4);
    const daily = listBackupFiles(dir).filter((f) => f.kind === "daily");
    expect(daily).toHaveLength(7 + 4);
    const days = daily.map((f) => f.at.toDateString());
    // The newest 7 days (the last is 29 Nov 2026)...
    expect(days.slice(0, 7)).toEqual([29, 28, 27, 26, 25, 24, 23].map((d) => new Date(2026, 10, d).toDateString()));
    // ...then the newest backup of each of the 4 weeks (Monday to Sunday) before those.
    expect(days.slice(7)).toEqual([22, 15, 8, 1].map((d) => new Date(2026, 10, d).toDateString()));
    // The owner's own backups stay; a killed backup's leftover goes.
    expect(listBackupFiles(dir).map((f) => f.kind).sort()).toEqual([...Array(11).fill("daily"), "manual", "premigrate"].sort());
    expect(fs.existsSync(partial)).toBe(false);
    // Pruning again changes nothing.
    expect(pruneBackups(dir, 7, 4)).toEqual([]);
  });
});

describe("the daily schedule", () => {
  it("does not count a slot from before the database existed as missed", async () => {
    const s = createScheduler({ pool: t.db.pool, dir: path.join(root, "early"), time: "02:30", keepDaily: 7, keepWeekly: 4 }, false);
    const { rows } = await t.db.pool.query<{ first: Date }>(`SELECT min(finished_at) AS first FROM _prisma_migrations`);
    const created = rows[0]!.first;
    expect(await s.tick(new Date(created.getTime() + 60_000))).toBe("not-due"); // unless created right after 02:30
    expect(fs.existsSync(path.join(root, "early"))).toBe(false);
  });

  it("finds the slot: today's time once it has passed, else yesterday's", () => {
    expect(lastScheduledTime(at("2026-12-01T02:29:00"), "02:30").slot).toBe("2026-11-30");
    expect(lastScheduledTime(at("2026-12-01T02:30:00"), "02:30").slot).toBe("2026-12-01");
    expect(lastScheduledTime(at("2026-12-01T23:59:00"), "02:30").slot).toBe("2026-12-01");
  });

  it("reports a failing folder, retries with backoff, then succeeds once and only once", async () => {
    const blocker = path.join(root, "not-a-folder");
    fs.writeFileSync(blocker, "a file where the folder should be");
    const dir = path.join(blocker, "backups");
    const logs: string[] = [];
    const opts = { pool: t.db.pool, dir, time: "02:30", keepDaily: 2, keepWeekly: 1, retryMs: 60_000, maxRetryMs: 240_000, log: (m: string) => logs.push(m) };
    const s = createScheduler(opts, false);
    const t0 = at("2027-03-01T03:00:00").getTime();

    expect(await s.tick(new Date(t0))).toBe("failed");
    let status = await backupStatus(t.db.pool);
    expect(status.lastError?.message).toMatch(/ENOTDIR|EEXIST|not a directory/i);
    expect(logs.at(-1)).toMatch(/failed .* trying again in 60 s/);
    expect(await s.tick(new Date(t0 + 59_000))).toBe("waiting-to-retry");
    expect(await s.tick(new Date(t0 + 60_000))).toBe("failed");
    expect(logs.at(-1)).toMatch(/trying again in 120 s/); // backoff doubles
    expect(await s.tick(new Date(t0 + 60_000 + 119_000))).toBe("waiting-to-retry");

    // The owner fixes the folder; the next retry makes the day's backup.
    fs.rmSync(blocker);
    expect(await s.tick(new Date(t0 + 180_000))).toBe("done");
    status = await backupStatus(t.db.pool, new Date(Date.now() + 60_000));
    expect(status.lastGood?.kind).toBe("daily");
    expect(status.lastError).toBeNull(); // failures before the last good backup are history
    expect(status.ageSeconds).toBeGreaterThanOrEqual(59);
    await verifyBackup(status.lastGood!.file);

    // A second API process on the same database does not take the same day's backup again.
    const other = createScheduler({ ...opts, log: () => {} }, false);
    expect(await other.tick(new Date(t0 + 3_600_000))).toBe("not-due");
    const runs = await t.db.pool.query(`SELECT count(*)::int AS n FROM backup_runs WHERE kind = 'daily' AND ok`);
    expect(runs.rows[0].n).toBe(1);
    // The next day it is due again, and retention applies.
    expect(await other.tick(at("2027-03-02T02:31:00"))).toBe("done");
    expect(await s.tick(at("2027-03-03T02:31:00"))).toBe("done");
    expect(await s.tick(at("2027-03-04T02:31:00"))).toBe("done");
    expect(listBackupFiles(dir).filter((f) => f.kind === "daily").map((f) => f.at.getDate())).toEqual([4, 3]); // 2 daily; 1 weekly = same week
  });

  it("lets only one of several processes ticking at once take the backup", async () => {
    const dir = path.join(root, "race");
    const opts = { pool: t.db.pool, dir, time: "02:30", keepDaily: 7, keepWeekly: 4 };
    const results = await Promise.all([1, 2, 3].map(() => createScheduler(opts, false).tick(at("2027-01-05T10:00:00"))));
    expect(results.filter((r) => r === "done")).toHaveLength(1);
    expect(listBackupFiles(dir)).toHaveLength(1);
  });
});

describe("before migrations", () => {
  it("backs up a database with data before migrating it, and not a new one", async () => {
    const db = await createTestDatabase(inject("pgServerUrl"), 2);
    extra.push(db);
    const all = readMigrations();
    const c = await db.db.pool.connect();
    await c.query("BEGIN");
    await dropSchemaObjects(c);
    await applyMigrations(c, all.slice(0, 2));
    await c.query("COMMIT");
    c.release();
    const dir = path.join(root, "premigrate");
    // Applied migrations but no rows: nothing worth a backup.
    expect(await backupBeforeMigrating(db.db.pool, dir, () => {})).toBeUndefined();
    await db.db.pool.query(`INSERT INTO items (name, unit_price) VALUES ('Salt', 40)`);
    const made = await backupBeforeMigrating(db.db.pool, dir, () => {});
    expect(made?.manifest.migrations.map((m) => m.name)).toEqual(all.slice(0, 2).map((m) => m.name));
    expect(listBackupFiles(dir).map((f) => f.kind)).toEqual(["premigrate"]);
    await migrate(db.db.pool);
    // Up to date: no backup.
    expect(await backupBeforeMigrating(db.db.pool, dir, () => {})).toBeUndefined();
    expect(listBackupFiles(dir)).toHaveLength(1);
  });
});

describe("on the API server", () => {
  it("answers backupStatus over GraphQL", async () => {
    const res = await t.graphql(`{ backupStatus { lastGoodAt lastGoodFile lastGoodBytes ageSeconds lastError lastErrorAt } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.backupStatus.lastGoodFile).toMatch(/\.storelite\.gz$/);
    expect(res.data.backupStatus.lastGoodBytes).toBeGreaterThan(0);
    expect(res.data.backupStatus.ageSeconds).toBeGreaterThanOrEqual(0);
  });

  it("streams a fresh backup from GET /backup/download that restores", async () => {
    // The whole database, so only MANAGE_SETTINGS may have it: nobody signed in gets 401, a cashier 403.
    expect((await t.anonymous.fetch("/backup/download")).status).toBe(401);
    expect((await t.anonymous.fetch("/backup/download", { method: "HEAD" })).status).toBe(401);
    const cashier = await (await t.as("CASHIER")).fetch("/backup/download");
    expect(cashier.status).toBe(403);
    expect(await cashier.text()).toMatch(/MANAGE_SETTINGS/);
    const res = await t.fetch("/backup/download");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/gzip");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="storelite-\d{8}-\d{6}-download\.storelite\.gz"$/);
    const file = path.join(root, "downloaded.storelite.gz");
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const target = await createTestDatabase(inject("pgServerUrl"), 2);
    extra.push(target);
    await restoreBackup(target.db.pool, file);
    expect(await tableChecksums(target.db.pool)).toEqual(await tableChecksums(t.db.pool));
    expect((await t.fetch("/backup/download", { method: "POST" })).status).toBe(405);
  });

  it("warns at start when the newest backup is more than two days old", async () => {
    const dir = path.join(root, "none-here");
    const last = (await backupStatus(t.db.pool)).lastGood!.at.getTime();
    expect(await staleBackupWarning(t.db.pool, dir, new Date(last + 86_400_000))).toBeUndefined();
    expect(await staleBackupWarning(t.db.pool, dir, new Date(last + 3 * 86_400_000))).toMatch(/newest backup is 3 days old/);
    const fresh = await createTestDatabase(inject("pgServerUrl"), 2);
    extra.push(fresh);
    expect(await staleBackupWarning(fresh.db.pool, dir)).toBeUndefined(); // a new database
    expect(await staleBackupWarning(fresh.db.pool, dir, new Date(Date.now() + 3 * 86_400_000))).toMatch(/never been backed up/);
  });
});
