// `storelite items import / export` as the real program (a child process) on a
// fresh database: dry run with its report, --apply with progress, undo, export.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getItem } from "../src/domain/items.ts";
import { databaseChecksum } from "../src/testing/checksum.ts";
import { signedInStaff, useTestDatabase } from "../src/testing/fixtures.ts";

const t = useTestDatabase();
const apiDir = path.resolve(import.meta.dirname, "..");
const MAIN = path.join(apiDir, "..", "dist", "cli.js"); // compiled by the test setup when stale
/** Subcommands run as a signed-in owner (STORELITE_TOKEN). */
let ownerToken = "";
let dir = "";
beforeAll(async () => {
  ownerToken = (await signedInStaff(t.db, "OWNER", "Import Owner")).token;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "storelite-import-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--enable-source-maps", MAIN, ...args], {
      cwd: apiDir,
      env: { ...process.env, DATABASE_URL: t.url, STORELITE_SEED_DEMO: "false", NODE_ENV: "test", STORELITE_TOKEN: ownerToken },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("storelite items import", () => {
  it("dry-runs (nothing changes), applies with progress, exports and undoes", async () => {
    const file = path.join(dir, "stock.csv");
    fs.writeFileSync(file, "Artikel;Name;Preis;Bestand\nCLI-1;Zucker;1,20;10\nCLI-2;Mehl;0,90;5\n");
    const before = await databaseChecksum(t.db.pool);
    const dry = await run(["items", "import", file, "--decimal-comma", "--map", "Artikel=sku", "--map", "Preis=unit_price", "--map", "Bestand=stock_qty"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/Dry run of stock\.csv \(import (\d+)\), 2 rows: 2 to create, 0 to update/);
    expect(dry.stdout).toContain("Columns: Artikel → sku, Name → name, Preis → unit_price, Bestand → stock_qty");
    expect(dry.stdout).toMatch(/Nothing was changed\. To import: storelite items import-apply \d+/);
    expect(await databaseChecksum(t.db.pool)).toBe(before);

    const id = /\(import (\d+)\)/.exec(dry.stdout)![1]!;
    const applied = await run(["items", "import-apply", id]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toContain("Applying: 2 / 2 rows (100%)");
    expect(applied.stdout).toContain(`Applied import ${id}: 2 created, 0 updated. To undo: storelite items import-undo ${id}`);

    const out = path.join(dir, "export.csv");
    const exported = await run(["items", "export", out]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(fs.readFileSync(out, "utf8")).toMatch(/,CLI-1,Zucker,Other,piece,1\.20,10\.000,true\r\n/);
    const toStdout = await run(["items", "export"]);
    expect(toStdout.stdout).toBe(fs.readFileSync(out, "utf8"));

    const undo = await run(["items", "import-undo", id]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(undo.stdout).toContain(`Undid import ${id}: 2 rows reverted.`);
    const { rows } = await t.db.pool.query("SELECT count(*)::int AS n FROM items WHERE sku LIKE 'CLI-%'");
    expect(rows[0].n).toBe(0);
  });

  it("reports row errors with row, column and value, refuses --apply, and exits 1", async () => {
    const file = path.join(dir, "bad.csv");
    fs.writeFileSync(file, "sku,name,price\nBAD-1,Ok,10\nBAD-2,Thousands,\"1,500.00\"\n");
    const before = await databaseChecksum(t.db.pool);
    const r = await run(["items", "import", file, "--apply"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Row 3, column "price" ("1,500.00"): has a thousands separator (,); write the number without it, e.g. 1234.50');
    expect(r.stderr).toMatch(/has 1 row with errors, so nothing was applied/);
    expect(await databaseChecksum(t.db.pool)).toBe(before);
    const applied = await run(["items", "import", file, "--apply", "--skip-errors"]);
    expect(applied.code, applied.stderr).toBe(0);
    const { rows } = await t.db.pool.query("SELECT id FROM items WHERE sku = 'BAD-1'");
    expect(rows).toHaveLength(1);
    expect((await getItem(t.ctx(), rows[0].id)).unitPrice.toFixed(2)).toBe("10.00");
  });

  it("refuses a workbook with what to do, and a bad option as a usage error", async () => {
    const file = path.join(dir, "items.xlsx");
    fs.writeFileSync(file, Buffer.from("PK\u0003\u0004....", "latin1"));
    const r = await run(["items", "import", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Save As → "CSV UTF-8 (comma delimited)"');
    const usage = await run(["items", "import", file, "--map", "oops"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--map oops: expected COLUMN=FIELD");
    const mode = await run(["items", "import", file, "--mode", "sometimes"]);
    expect(mode.code).toBe(1);
    expect(mode.stderr).toContain("--mode: must be one of create_only, update_only, upsert");
  });
});
