// The console's backup commands as a shopkeeper runs them (real child
// processes on real databases), and a backup killed with kill -9 halfway:
// it must leave no file that looks like a backup.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { BackupFileError } from "../src/backup/format.ts";
import { verifyBackup } from "../src/backup/restore.ts";
import { listBackupFiles } from "../src/backup/schedule.ts";
import { createItem } from "../src/domain/items.ts";
import { tableChecksums } from "../src/testing/checksum.ts";
import { signedInStaff, useTestDatabase } from "../src/testing/fixtures.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/postgres.ts";

const t = useTestDatabase();
const MAIN = path.resolve(import.meta.dirname, "../../dist/cli.js"); // compiled by the test setup when stale
let dir = "";
let target: TestDatabase;
/** The console signs people in: these run as the source database's owner unless a test says otherwise. */
let ownerToken = "";
let cashierToken = "";

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "storelite-backup-cli-"));
  target = await createTestDatabase(inject("pgServerUrl"), 2);
  ownerToken = (await signedInStaff(t.db, "OWNER", "Backup Owner")).token;
  cashierToken = (await signedInStaff(t.db, "CASHIER")).token;
});
afterAll(async () => {
  await target?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[], url = t.url, token = ownerToken) {
  const child = spawn(process.execPath, ["--enable-source-maps", MAIN, ...args], {
    cwd: path.resolve(import.meta.dirname, ".."),
    // npm run cli runs in api/ and says where it was started in INIT_CWD: relative paths count from there.
    env: { ...process.env, INIT_CWD: dir, DATABASE_URL: url, STORELITE_SEED_DEMO: "false", NODE_ENV: "test", STORELITE_BACKUP_DIR: path.join(dir, "default"), STORELITE_TOKEN: token },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal })));
  return { child, exit, out: () => stdout, err: () => stderr };
}

describe("storelite backup, backup verify, restore", () => {
  it("backs up, verifies and restores through the console program", async () => {
    await createItem({ db: t.db, actor: { kind: "system", name: "t", permissions: new Set(["EDIT_CATALOG"]) } }, { name: "Tea", unitPrice: "450", stockQty: "3" });
    const backup = cli(["backup", "--to", "out", "--json"]);
    expect((await backup.exit).code, backup.err()).toBe(0);
    const { file, manifest } = JSON.parse(backup.out());
    expect(path.dirname(file)).toBe(path.join(dir, "out"));
    expect(manifest.tables.find((x: { name: string }) => x.name === "items").rows).toBe(1);

    const defaultDir = cli(["backup"]);
    expect((await defaultDir.exit).code, defaultDir.err()).toBe(0);
    expect(listBackupFiles(path.join(dir, "default"))).toHaveLength(1);

    const verify = cli(["backup", "verify", path.relative(dir, file)]);
    expect((await verify.exit).code).toBe(0);
    expect(verify.out()).toMatch(/a complete StoreLite backup .* every checksum matches/);
    expect(verify.out()).toMatch(/items\s+1 rows/);

    // Restoring needs someone signed in on the target: its own owner, whose account the backup's rows then replace.
    const targetOwner = await signedInStaff(target.db, "OWNER", "Target Owner");
    const refused = cli(["restore", file], target.url, (await signedInStaff(target.db, "CASHIER")).token);
    expect((await refused.exit).code).toBe(1);
    expect(refused.err()).toMatch(/MANAGE_SETTINGS/);
    const restore = cli(["restore", file, "--force"], target.url, targetOwner.token);
    expect((await restore.exit).code, restore.err()).toBe(0);
    expect(restore.out()).toMatch(/Restored \d+ rows .* the books check out/);
    expect(await tableChecksums(target.db.pool)).toEqual(await tableChecksums(t.db.pool));

    // The source's owner session came back with the backup, so it signs in on the target now.
    const again = cli(["restore", file], target.url);
    expect((await again.exit).code).toBe(1);
    expect(again.err()).toMatch(/not empty \(.*items: 1 rows.*--force/);

    fs.writeFileSync(path.join(dir, "foreign"), "not a backup");
    const foreign = cli(["restore", "foreign", "--force"], target.url);
    expect((await foreign.exit).code).toBe(1);
    expect(foreign.err()).toMatch(/not a usable StoreLite backup: it is not gzip-compressed/);

    const usage = cli(["restore"]);
    expect((await usage.exit).code).toBe(2);
  });

  it("refuses a cashier: backup and restore need MANAGE_SETTINGS", async () => {
    const backup = cli(["backup", "--to", "cashier"], t.url, cashierToken);
    expect((await backup.exit).code).toBe(1);
    expect(backup.err()).toMatch(/may not do this.*MANAGE_SETTINGS/);
    expect(listBackupFiles(path.join(dir, "cashier"))).toEqual([]);
    const file = listBackupFiles(path.join(dir, "default"))[0]!;
    const before = await tableChecksums(t.db.pool);
    const restore = cli(["restore", file.file, "--force"], t.url, cashierToken);
    expect((await restore.exit).code).toBe(1);
    expect(restore.err()).toMatch(/MANAGE_SETTINGS/);
    expect(await tableChecksums(t.db.pool)).toEqual(before);
    const nobody = cli(["backup", "--to", "cashier"], t.url, "not-a-token");
    expect((await nobody.exit).code).toBe(1);
    expect(nobody.err()).toMatch(/STORELITE_TOKEN is not accepted/);
  });

  it("kill -9 in the middle of a backup leaves no valid-looking file", async () => {
    // Enough poorly compressible rows that the backup takes a while.
    await t.db.pool.query(`INSERT INTO agent_sessions (id) VALUES ('big')`);
    await t.db.pool.query(`INSERT INTO agent_session_items (session_id, item)
      SELECT 'big', jsonb_build_object('n', g, 'a', md5(g::text), 'b', md5((g * 7)::text), 'c', md5((g * 13)::text), 'd', md5((g * 31)::text))
        FROM generate_series(1, 400000) g`);
    const out = path.join(dir, "killed");
    const run = cli(["backup", "--to", out]);
    // Wait until the backup is writing its temporary file, then kill it without warning.
    let partial: string | undefined;
    for (let i = 0; i < 600 && !partial; i++) {
      await new Promise((r) => setTimeout(r, 20));
      partial = fs.existsSync(out) ? fs.readdirSync(out).find((n) => n.endsWith(".partial") && fs.statSync(path.join(out, n)).size > 100_000) : undefined;
    }
    expect(partial, `no partial file appeared: ${run.err()}`).toBeDefined();
    run.child.kill("SIGKILL");
    expect((await run.exit).signal).toBe("SIGKILL");
    expect(listBackupFiles(out)).toEqual([]);
    expect(fs.readdirSync(out).filter((n) => !n.startsWith("."))).toEqual([]);
    await expect(verifyBackup(path.join(out, partial!))).rejects.toBeInstanceOf(BackupFileError);
  });
});
