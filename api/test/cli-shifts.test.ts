// The console's shift commands, run as the real program (a child process) on a
// fresh database: open, pay out, sell into the drawer, the X report, close with
// the Z report printed, and the Z report shown again and checked.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createItem } from "../src/domain/items.ts";
import { TEST_PASSWORD, signedInStaff, useTestDatabase } from "../src/testing/fixtures.ts";

const t = useTestDatabase();
const apiDir = path.resolve(import.meta.dirname, "..");
const MAIN = path.join(apiDir, "..", "dist", "cli.js");
let token = "";
let invoiceDir = "";
beforeAll(async () => {
  token = (await signedInStaff(t.db, "CASHIER", "Console Cashier")).token;
  invoiceDir = fs.mkdtempSync(path.join(os.tmpdir(), "storelite-shift-invoices-"));
});
afterAll(() => fs.rmSync(invoiceDir, { recursive: true, force: true }));

function run(args: string[], as = token, input: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--enable-source-maps", MAIN, ...args], {
    cwd: apiDir,
    env: { ...process.env, DATABASE_URL: t.url, STORELITE_SEED_DEMO: "false", STORELITE_INVOICE_DIR: invoiceDir, NODE_ENV: "test", ...(as ? { STORELITE_TOKEN: as } : {}) },
  });
  child.stdin.write(input.map((l) => `${l}\n`).join(""));
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  child.stdin.end();
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

describe("storelite shift / z", () => {
  it("opens, pays out, sells, prints the X report, closes with the Z report and shows it again", async () => {
    const owner = (await signedInStaff(t.db, "OWNER", "Console Owner")).token;
    const item = await createItem(t.ctx(), { name: "Console Rice", unitPrice: "80.00", stockQty: "20" });

    const off = await run(["shift", "open", "--register", "Till 1", "--float", "100"]);
    expect([off.code, off.stderr.trim()]).toEqual([1, 'storelite: Shifts are off for this shop: turn on "shifts enabled" in the settings first']);
    expect((await run(["settings", "set", "--shifts", "true"])).stderr).toMatch(/needs the MANAGE_SETTINGS permission/);
    const on = await run(["settings", "set", "--shifts", "true"], owner);
    expect(on.stdout).toMatch(/Shifts: +on/);

    const refused = await run(["bill", "create", "--item", `${item.id}=1`, "--register", "Till 1"]);
    expect([refused.code, refused.stderr.trim()]).toEqual([1, 'storelite: No shift is open on register "Till 1": open one first']);
    const bad = await run(["shift", "open", "--register", "Till 1", "--float=-5"]);
    expect(bad.stderr.trim()).toBe("storelite: --float: must not be negative");
    const opened = await run(["shift", "open", "--register", "Till 1", "--float", "100", "--json"]);
    const shift = JSON.parse(opened.stdout);
    expect(shift).toMatchObject({ register: "Till 1", status: "OPEN", replayed: false });

    expect((await run(["shift", "pay-out", "--amount", "7.50", "--reason", " "])).stderr.trim()).toBe("storelite: --reason: must not be blank");
    expect((await run(["shift", "pay-out", "--amount", "7.50", "--reason", "bus fare"])).stdout.trim()).toBe(`Paid out 7.50 (bus fare) in shift ${shift.id}.`);
    expect((await run(["bill", "create", "--item", `${item.id}=2`, "--register", "till 1"])).code).toBe(0);

    const x = await run(["shift", "status"]);
    expect(x.stdout).toContain(`X REPORT - shift ${shift.id}`);
    expect(x.stdout).toMatch(/EXPECTED +252\.50/);
    expect(x.stdout).not.toContain("COUNTED");

    const closed = await run(["shift", "close", "--shift", String(shift.id), "--counted", "250", "--note", "short", "--key", "console-close"]);
    expect(closed.code).toBe(0);
    expect(closed.stdout).toMatch(/Z REPORT No\. 1/);
    expect(closed.stdout).toMatch(/COUNTED +250\.00/);
    expect(closed.stdout).toMatch(/VARIANCE +-2\.50/);
    expect(closed.stdout).toMatch(/Console Cashier \(1\) +160\.00/);
    const again = await run(["shift", "close", "--shift", String(shift.id), "--counted", "250"]);
    expect(again.stderr.trim()).toBe("storelite: Shift 1 is already closed (Z report 1): nothing was changed");

    const shown = await run(["z", "show", "1"]);
    expect(shown.stdout).toContain("Z REPORT No. 1");
    expect(shown.stdout).toContain("Checked: the stored documents still add up to this report.");
    expect((await run(["z", "list"])).stdout).toMatch(/^Z 1 .* Till 1 +total 160\.00 +variance -2\.50$/m);
  });

  it("the menus offer the drawer once shifts are on: open, pay out, the X report", async () => {
    const manager = await signedInStaff(t.db, "MANAGER", "Menu Manager");
    // Main menu: 1 inventory, 2 bill, 3 returns and voids, 4 shift and cash drawer, 5 exit.
    const { code, stdout } = await run([], "", [manager.staff.username, TEST_PASSWORD, "4", "2", "Till 2", "10", "4", "1.25", "change for the bus", "Till 2", "1", "Till 2", "7", "5"]);
    expect(code).toBe(0);
    expect(stdout).toContain("4. Shift and cash drawer");
    expect(stdout).toMatch(/Opened: shift \d+ on Till 2, float 10\.00\./);
    expect(stdout).toMatch(/Paid out 1\.25 \(change for the bus\) in shift \d+\./);
    expect(stdout).toMatch(/X REPORT - shift \d+[\s\S]*EXPECTED +8\.75/);
    expect(stdout).toContain("Goodbye.");
  });
});
