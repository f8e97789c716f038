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
import { useTestDatabase } from "../src/testing/fixtures.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/postgres.ts";

const t = useTestDatabase();
const MAIN = path.resolve(import.meta.dirname, "../src/cli/main.ts");
let dir = "";
let target: TestDatabase;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "storelite-backup-cli-"));
  target = await createTestDatabase(inject("pgServerUrl"), 2);
});
afterAll(async () => {
  await target?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[], url = t.url) {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
    cwd: path.resolve(import.meta.dirname, ".."),
    // npm run cli runs in api/ and says where it was started in INIT_CWD: relative paths count from there.
    env: { ...process.env, INIT_CWD: dir, DATABASE_URL: url, STORELITE_SEED_DEMO: "false", NODE_ENV: "test", STORELITE_BACKUP_DIR: path.join(dir, "default") },
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

    const restore = cli(["restore", file], target.url);
    expect((await restore.exit).code, restore.err()).toBe(0);
    expect(restore.out()).toMatch(/Restored \d+ rows .* the books check out/);
    expect(await tableChecksums(target.db.pool)).toEqual(await tableChecksums(t.db.pool));

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
