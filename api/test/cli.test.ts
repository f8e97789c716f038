// End-to-end tests of the console program: the real program runs as a child
// process on a fresh PostgreSQL database and is driven through its prompts.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBill } from "../src/domain/bills.ts";
import { createItem, getItem, updateItem, type Item } from "../src/domain/items.ts";
import { databaseChecksum } from "../src/testing/checksum.ts";
import { createApiToken } from "../src/domain/tokens.ts";
import { TEST_PASSWORD, signedInStaff, useTestDatabase } from "../src/testing/fixtures.ts";

const t = useTestDatabase();
/** Who the program runs as: the menus are signed in by typing these first; subcommands get STORELITE_TOKEN. */
let owner: { username: string; token: string } = { username: "", token: "" };
beforeAll(async () => {
  const o = await signedInStaff(t.db, "OWNER", "Console Owner");
  owner = { username: o.staff.username, token: o.token };
});
const apiDir = path.resolve(import.meta.dirname, "..");
const MAIN = path.join(apiDir, "..", "dist", "cli.js"); // compiled by the test setup when stale
const BIN = path.join(apiDir, "bin/storelite.mjs");
let invoiceDir = "";

beforeAll(() => {
  invoiceDir = fs.mkdtempSync(path.join(os.tmpdir(), "storelite-invoices-"));
});
afterAll(() => {
  fs.rmSync(invoiceDir, { recursive: true, force: true });
});

/** The program as a child process with its stdout/stderr collected as they come. */
class Cli {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = "";
  stderr = "";
  readonly exit: Promise<number | null>;
  private listeners: (() => void)[] = [];

  constructor(args: string[], { bin = false, signIn = true, token }: { bin?: boolean; signIn?: boolean; token?: string } = {}) {
    const command = bin ? [BIN, ...args] : ["--enable-source-maps", MAIN, ...args];
    const interactive = args.length === 0 || (args.length === 1 && args[0] === "--verbose");
    this.child = spawn(process.execPath, command, {
      cwd: apiDir,
      env: {
        ...process.env,
        DATABASE_URL: t.url,
        STORELITE_SEED_DEMO: "false",
        STORELITE_INVOICE_DIR: invoiceDir,
        NODE_ENV: "test",
        ...(!interactive && signIn ? { STORELITE_TOKEN: owner.token } : {}),
        ...(token ? { STORELITE_TOKEN: token } : {}),
      },
    });
    // The console first asks who is working.
    if (interactive && signIn) this.child.stdin.write(`${owner.username}\n${TEST_PASSWORD}\n`);
    this.child.stdout.setEncoding("utf8").on("data", (d: string) => {
      this.stdout += d;
      this.listeners.forEach((l) => l());
    });
    this.child.stderr.setEncoding("utf8").on("data", (d: string) => (this.stderr += d));
    this.exit = new Promise((resolve) =>
      this.child.on("close", (code) => {
        this.listeners.forEach((l) => l());
        resolve(code);
      }),
    );
  }

  write(lines: string[]) {
    this.child.stdin.write(lines.map((l) => `${l}\n`).join(""));
  }

  /** Resolves once stdout contains `text` (fails if the program ends first). */
  waitFor(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.stdout.includes(text)) resolve();
        else if (this.child.exitCode !== null) reject(new Error(`program exited without printing ${JSON.stringify(text)}:\n${this.stdout}\n${this.stderr}`));
        else return;
        this.listeners = this.listeners.filter((l) => l !== check);
      };
      this.listeners.push(check);
      check();
    });
  }
}

/** Runs the program with a whole script of answers (then end of input). */
async function run(args: string[], input: string[] = [], options: { bin?: boolean; signIn?: boolean; token?: string } = {}) {
  const cli = new Cli(args, options);
  cli.write(input);
  cli.child.stdin.end();
  const code = await cli.exit;
  return { code, stdout: cli.stdout, stderr: cli.stderr };
}

const stockOf = async (id: number) => (await getItem(t.ctx(), id)).stockQty.toFixed(3);

describe("inventory menu", () => {
  it("adds an item, re-asking for a bad price, then lists it as a table", async () => {
    const { code, stdout } = await run([], ["1", "1", "Tomatoes", "Vegetables", "kg", "-5", "12.5", "abc", "-1", "20", "2", "6", "5"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Unit price must not be negative. Please try again.");
    expect(stdout).toContain("Stock must be a plain decimal number");
    expect(stdout).toContain("Stock must not be negative. Please try again.");
    const { rows } = await t.db.pool.query("SELECT id, name, category, unit, unit_price, stock_qty FROM items WHERE name = 'Tomatoes'");
    expect(rows).toEqual([{ id: expect.any(Number), name: "Tomatoes", category: "Vegetables", unit: "kg", unit_price: "12.50", stock_qty: "20.000" }]);
    expect(stdout).toContain(`Added item ${rows[0].id}: Tomatoes (Vegetables), 12.50 per kg, stock 20.000.`);
    const table = stdout.slice(stdout.indexOf("ID  Name"));
    expect(table.split("\n").slice(0, 3)).toEqual([
      "ID  Name      Category    Unit  Price   Stock",
      "--  --------  ----------  ----  -----  ------",
      `${String(rows[0].id).padStart(2)}  Tomatoes  Vegetables  kg    12.50  20.000`,
    ]);
    expect(stdout).toContain("Goodbye.");
  });

  it("searches by name and updates an item: Enter keeps a value, stock changes go through the ledger", async () => {
    const rice = await createItem(t.ctx(), { name: "Basmati Rice", category: "Grocery", unit: "kg", unitPrice: "350", stockQty: "60" });
    await createItem(t.ctx(), { name: "Brown Rice", category: "Grocery", unit: "kg", unitPrice: "300", stockQty: "5" });
    const { code, stdout } = await run(
      [],
      ["1", "3", "RICE", "4", "999999", String(rice.id), "", "", "", "365.50", "-100", "+2.5", "4", String(rice.id), "", "", "", "", "58", "6", "5"],
    );
    expect(code).toBe(0);
    const search = stdout.slice(stdout.indexOf("Search for"));
    expect(search).toMatch(/Basmati Rice\s+Grocery\s+kg\s+350\.00\s+60\.000/);
    expect(search).toMatch(/Brown Rice\s+Grocery\s+kg\s+300\.00\s+5\.000/);
    expect(stdout).toContain("There is no item 999999.");
    expect(stdout).toContain("Name [Basmati Rice]: ");
    expect(stdout).toContain("Unit price [350.00]: 365.50");
    expect(stdout).toContain("Stock would become -40.000, but must not be negative.");
    expect(stdout).toContain("Stock [62.500]");

    const after = await getItem(t.ctx(), rice.id);
    expect([after.name, after.category, after.unit, after.unitPrice.toFixed(2), after.stockQty.toFixed(3)]).toEqual(["Basmati Rice", "Grocery", "kg", "365.50", "58.000"]);
    const { rows } = await t.db.pool.query("SELECT quantity, stock_after, reason, note FROM stock_movements WHERE item_id = $1 ORDER BY id", [rice.id]);
    expect(rows).toEqual([
      { quantity: "60.000", stock_after: "60.000", reason: "restock", note: "Opening stock" },
      { quantity: "2.500", stock_after: "62.500", reason: "restock", note: "Console update" },
      { quantity: "-4.500", stock_after: "58.000", reason: "count", note: "Console update" },
    ]);
  });

  it("deactivates an item after confirmation; it then no longer lists", async () => {
    const old = await createItem(t.ctx(), { name: "Old Kettle", unitPrice: "900", stockQty: "1" });
    const { code, stdout } = await run([], ["1", "5", String(old.id), "maybe", "y", "3", "kettle", "6", "5"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Please answer y or n.");
    expect(stdout).toContain(`Deactivated Old Kettle (item ${old.id}).`);
    expect(stdout).toContain('No active items match "kettle".');
    expect((await getItem(t.ctx(), old.id)).isActive).toBe(false);
  });
});

describe("create new bill", () => {
  let sugar: Item, brown: Item, shampoo: Item;
  beforeAll(async () => {
    sugar = await createItem(t.ctx(), { name: "Sugar", category: "Grocery", unit: "kg", unitPrice: "160", stockQty: "10" });
    brown = await createItem(t.ctx(), { name: "Brown Sugar", category: "Grocery", unit: "kg", unitPrice: "190", stockQty: "3.5" });
    shampoo = await createItem(t.ctx(), { name: "Shampoo Bottle", category: "Beauty", unit: "piece", unitPrice: "650", stockQty: "5" });
  });

  it("sells 1.5 kg and a piece, re-asks an over-stock quantity, saves, prints and files the invoice", async () => {
    const { code, stdout } = await run(
      [],
      ["2", "Ali", "Utility Store #1", "zzz", "sugar", String(brown.id), "5", "1.5", "y", "sham", String(shampoo.id), "1", "n", "", "", "y", "", "", "5"],
    );
    expect(code).toBe(0);
    expect(stdout).toContain('No active items match "zzz".');
    expect(stdout).toContain("Only 3.500 kg of Brown Sugar available. Please enter a smaller quantity.");
    // The preview, before anything is saved.
    expect(stdout).toMatch(/1 +Brown Sugar +1\.500 +kg +190\.00 +285\.00/);
    expect(stdout).toMatch(/2 +Shampoo Bottle +1\.000 +piece +650\.00 +650\.00/);
    expect(stdout).toMatch(/Total +935\.00\nConfirm and save\? \(y\/n\): y/);

    const billId = Number(/Saved bill (\d+)\./.exec(stdout)![1]);
    const file = /Invoice saved to (.+)/.exec(stdout)![1]!;
    expect(path.dirname(file)).toBe(invoiceDir);
    const invoice = fs.readFileSync(file, "utf8");
    expect(invoice).toContain("Utility Store #1");
    expect(invoice).toContain(`Bill No:  ${billId}`);
    expect(invoice).toMatch(/Date: +\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
    expect(invoice).toContain("Customer: Ali");
    expect(invoice).toMatch(/1\.500 kg x 190\.00 +285\.00/);
    expect(invoice).toMatch(/TOTAL +935\.00/);
    expect(stdout).toContain(invoice.trimEnd()); // the same text was printed

    expect(await stockOf(brown.id)).toBe("2.000");
    expect(await stockOf(shampoo.id)).toBe("4.000");
    const { rows } = await t.db.pool.query("SELECT customer_name, store_name, total_amount, idempotency_key FROM bills WHERE id = $1", [billId]);
    expect(rows[0]).toMatchObject({ customer_name: "Ali", store_name: "Utility Store #1", total_amount: "935.00" });
    expect(rows[0].idempotency_key).toMatch(/^console-/);
  });

  it("counts what is already in the cart against the stock, and 'n' at the confirmation saves nothing", async () => {
    const before = await databaseChecksum(t.db.pool);
    const { code, stdout } = await run([], ["2", "", "", "sugar", String(sugar.id), "6", "y", "sugar", String(sugar.id), "4.5", "4", "n", "", "", "n", "5"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Only 4.000 kg of Sugar available (6.000 already in the cart).");
    expect(stdout).toMatch(/1 +Sugar +10\.000 +kg +160\.00 +1600\.00/);
    expect(stdout).toContain("Bill discarded; nothing was saved.");
    expect(await databaseChecksum(t.db.pool)).toBe(before);
  });

  it("end of input in the middle of a bill leaves the database unchanged", async () => {
    const before = await databaseChecksum(t.db.pool);
    const { code, stdout, stderr } = await run([], ["2", "Ali", "", "sugar", String(sugar.id), "1", "n", "", ""]);
    expect(stdout).toContain("Confirm and save? (y/n): ");
    expect(code).toBe(1);
    expect(stderr).toContain("nothing from it was saved");
    expect(await databaseChecksum(t.db.pool)).toBe(before);
  });

  it("Ctrl-C at the confirmation leaves the database unchanged and exits 130", async () => {
    const before = await databaseChecksum(t.db.pool);
    const cli = new Cli([]);
    cli.write(["2", "Ali", "", "sugar", String(sugar.id), "1", "n", "", ""]);
    await cli.waitFor("Confirm and save? (y/n): ");
    cli.child.kill("SIGINT");
    expect(await cli.exit).toBe(130);
    expect(cli.stderr).toContain("Interrupted; nothing unfinished was saved.");
    expect(await databaseChecksum(t.db.pool)).toBe(before);
  });

  it("when another counter sells the stock before confirmation, asks for a new quantity and saves that", async () => {
    const milk = await createItem(t.ctx(), { name: "Milk", unit: "liter", unitPrice: "210", stockQty: "3" });
    const cli = new Cli([]);
    cli.write(["2", "", "Counter 2", "milk", String(milk.id), "3", "n", "", ""]);
    await cli.waitFor("Confirm and save? (y/n): ");
    await createBill(t.ctx(), { lines: [{ itemId: milk.id, quantity: "2" }] }); // the other counter
    cli.write(["y", "", "", "5", "1", "y", "", "", "5"]);
    cli.child.stdin.end();
    expect(await cli.exit).toBe(0);
    expect(cli.stdout).toContain("Not saved: another sale took some of the stock meanwhile.");
    expect(cli.stdout).toContain("Only 1.000 liter of Milk is left.");
    expect(cli.stdout).toContain("Only 1.000 liter available.");
    expect(cli.stdout).toMatch(/Saved bill \d+\./);
    expect(cli.stdout).toMatch(/TOTAL +210\.00/);
    expect(await stockOf(milk.id)).toBe("0.000");
  });

  it("when a price changes between the preview and the save, nothing is charged until the new total is confirmed", async () => {
    const soap = await createItem(t.ctx(), { name: "Bath Soap", unitPrice: "120", stockQty: "10" });
    const cli = new Cli([]);
    cli.write(["2", "", "", "bath soap", String(soap.id), "2", "n", "", ""]);
    await cli.waitFor("Confirm and save? (y/n): ");
    expect(cli.stdout).toMatch(/Total +240\.00/);
    await updateItem(t.ctx(), soap.id, { unitPrice: "125" });
    // The total shown is the one charged: the save is refused, the new total previewed and confirmed again.
    cli.write(["y", "", "", "y", "", "", "5"]);
    cli.child.stdin.end();
    expect(await cli.exit).toBe(0);
    expect(cli.stdout).toContain("Not saved: The total is now 250.00, not 240.00");
    expect(cli.stdout).toMatch(/Total +250\.00\nConfirm and save/);
    expect(cli.stdout).toMatch(/TOTAL +250\.00/);
    const { rows } = await t.db.pool.query("SELECT count(*)::int AS n FROM bills b JOIN bill_items l ON l.bill_id = b.id WHERE l.item_id = $1", [soap.id]);
    expect(rows[0].n).toBe(1);
  });
});

describe("a complete sale at the console", () => {
  it("takes a line and a bill discount, prices tax, and a card + cash payment with change; the invoice shows it all", async () => {
    const { createTaxRate, setItemTaxRate } = await import("../src/domain/tax-rates.ts");
    const { updateShopSettings } = await import("../src/domain/settings.ts");
    await updateShopSettings(t.ctx(), { receiptFooter: "No returns after 7 days", address: "12 Mall Road" });
    const gst = await createTaxRate(t.ctx(), { name: "GST", percent: "17" });
    const tea = await createItem(t.ctx(), { name: "Masala Chai", unit: "pack", unitPrice: "500", stockQty: "10" });
    await setItemTaxRate(t.ctx(), { itemId: tea.id, taxRateId: gst.id });
    const { code, stdout } = await run(
      [],
      ["2", "Ali", "", "masala chai", String(tea.id), "2", "n", "1", "10%", "", "20", "y", "3", "500", "4242", "600", "5"],
    );
    expect(code).toBe(0);
    // 2 × 500 = 1000, 10% off 900, 20 off the bill 880, GST 17% 149.60 → 1029.60; card 500, cash 600 → change 70.40.
    expect(stdout).toMatch(/GST 17% on 880\.00 +149\.60\nTotal +1029\.60/);
    expect(stdout).toContain("Change due: 70.40");
    const file = /Invoice saved to (.+)/.exec(stdout)![1]!;
    const invoice = fs.readFileSync(file, "utf8");
    for (const line of [/2\.000 pack x 500\.00 +1000\.00/, /discount 10% +-100\.00/, /Bill discount 20\.00 +-20\.00/, /GST 17% on 880\.00 +149\.60/, /TOTAL +1029\.60/, /Card \(4242\) +500\.00/, /Cash +600\.00/, /Change +70\.40/, /12 Mall Road/, /No returns after 7 days/]) {
      expect(invoice).toMatch(line);
    }
    const billId = Number(/Saved bill (\d+)\./.exec(stdout)![1]);
    const { rows } = await t.db.pool.query("SELECT total_amount, tax_total, change_due, (SELECT count(*)::int FROM bill_payments p WHERE p.bill_id = b.id) AS payments FROM bills b WHERE id = $1", [billId]);
    expect(rows[0]).toEqual({ total_amount: "1029.60", tax_total: "149.60", change_due: "70.40", payments: 2 });
    await updateShopSettings(t.ctx(), { receiptFooter: null, address: null });
  });
});

describe("settings subcommands", () => {
  it("settings set changes only the options given, names a bad one, and settings show prints them", async () => {
    const set = await run(["settings", "set", "--name", "Ali Traders", "--cash-rounding", "0.5", "--prices-include-tax", "true", "--json"]);
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ name: "Ali Traders", cashRounding: "0.50", pricesIncludeTax: true, currency: "PKR" });
    const bad = await run(["settings", "set", "--currency", "RUPEES", "--time-zone", "Mars/Base"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--currency: must be an ISO 4217 currency code");
    expect(bad.stderr).toContain("--time-zone: must be an IANA time zone");
    const show = await run(["settings", "show"]);
    expect(show.stdout).toMatch(/Shop name: +Ali Traders\n/);
    expect(show.stdout).toMatch(/Cash rounding: +0\.50/);
    expect(show.stdout).toMatch(/Prices include tax: +yes/);
    await run(["settings", "set", "--name", "StoreLite", "--cash-rounding", "0.00", "--prices-include-tax", "false"]);
  });
});

describe("shop settings menu", () => {
  it("edits the settings (Enter keeps, - clears, a refused answer is asked again), adds and changes tax rates, sets a category's and an item's rate", async () => {
    const { getShopSettings, updateShopSettings } = await import("../src/domain/settings.ts");
    const { appliedTaxRate, createTaxRate, listCategoryTaxRates, listTaxRates } = await import("../src/domain/tax-rates.ts");
    await updateShopSettings(t.ctx(), { name: "Menu Shop", address: "Old Road", phone: "042-111" });
    const before = await getShopSettings(t.ctx());
    const vat = await createTaxRate(t.ctx(), { name: "Menu VAT", percent: "10" });
    const soap = await createItem(t.ctx(), { name: "Menu Soap", category: "Menu Beauty", unitPrice: "45", stockQty: "5" });
    const { code, stdout } = await run(
      [],
      [
        "4", // Shop Settings
        "2", "Ali Traders", "-", "", "NTN-42", "RUPEES", "Thank you!", "USD", // details; the bad currency is asked again alone
        "3", "y", "2", "0.05", "Mars/Base", "15", "Asia/Karachi", // pricing rules; so is the bad time zone
        "5", "Menu GST", "17.5", // a new rate
        "5", "Menu GST", "5", "Menu Reduced", // a taken name is asked again
        "6", "999999", String(vat.id), "", "8", "", // change: no such rate, then VAT to 8% (name and active kept)
        "7", "menu beauty", "abc", String(vat.id), // a category default: a bad id asked again
        "8", String(soap.id), "none", // the item takes its category's rate
        "4", "1", "9", "5", // list, show, back, exit
      ],
    );
    expect(code).toBe(0);
    expect(stdout).toContain("Currency must be an ISO 4217 currency code");
    expect(stdout).toContain("Time zone must be an IANA time zone");
    expect(stdout).toContain('Name a tax rate named "Menu GST" already exists.');
    expect(stdout).toContain("There is no tax rate 999999.");
    expect(stdout).toMatch(/Menu GST +17\.5% +yes/);
    expect(stdout).toMatch(/menu beauty: Menu VAT \(8%\)/);
    expect(stdout).toMatch(/Shop name: +Ali Traders\n/);
    expect(stdout).toContain("Goodbye.");

    const after = await getShopSettings(t.ctx());
    expect({ ...after, cashierDiscountLimit: after.cashierDiscountLimit.toString(), updatedAt: null }).toEqual({
      ...before,
      name: "Ali Traders",
      address: null,
      taxRegistrationNumber: "NTN-42",
      currency: "USD",
      receiptFooter: "Thank you!",
      pricesIncludeTax: true,
      taxRounding: "PER_BILL_PER_RATE",
      cashRounding: "0.05",
      timeZone: "Asia/Karachi",
      cashierDiscountLimit: "15",
      updatedAt: null,
    });
    const rates = (await listTaxRates(t.ctx(), { includeInactive: true })).map((r) => `${r.name} ${r.percent.toString()} ${r.isActive}`);
    expect(rates).toEqual(expect.arrayContaining(["Menu GST 17.5 true", "Menu Reduced 5 true", "Menu VAT 8 true"]));
    expect((await listCategoryTaxRates(t.ctx())).find((c) => c.category === "menu beauty")?.taxRate.id).toBe(vat.id);
    expect((await appliedTaxRate(t.ctx(), soap.id))?.name).toBe("Menu VAT");
    const { storeId: _, updatedAt: __, ...restore } = before;
    await updateShopSettings(t.ctx(), restore);
  });

  it("is offered only to those who may change the settings", async () => {
    const cashier = await signedInStaff(t.db, "CASHIER", "Menu Cashier");
    const { stdout } = await run([], [cashier.staff.username, "2468", "3"], { signIn: false });
    expect(stdout).toContain("1. Create New Bill\n  2. Returns and Voids\n  3. Exit");
    expect(stdout).not.toContain("Shop Settings");
  });
});

describe("bill list", () => {
  it("lists bills by days of the shop's calendar (UTC+14 here), names a bad date after its option", async () => {
    const { updateShopSettings, getShopSettings } = await import("../src/domain/settings.ts");
    const zone = (await getShopSettings(t.ctx())).timeZone;
    await updateShopSettings(t.ctx(), { timeZone: "Pacific/Kiritimati" });
    const item = await createItem(t.ctx(), { name: "List Tea", unitPrice: "100", stockQty: "10" });
    const sell = async (at: string) => {
      const { bill } = await createBill(t.ctx(), { customerName: `at ${at}`, lines: [{ itemId: item.id, quantity: "1" }] });
      await t.db.pool.query("UPDATE bills SET created_at = $2 WHERE id = $1", [bill.id, at]);
      return bill.id;
    };
    const lateOn24 = await sell("2026-11-24T09:59:59Z"); // 23:59:59 on the 24th in the shop
    const earlyOn25 = await sell("2026-11-24T10:00:00Z"); // 00:00:00 on the 25th in the shop
    try {
      const listed = await run(["bill", "list", "--from", "2026-11-25", "--to", "2026-11-25", "--json"]);
      expect(listed.code).toBe(0);
      expect(JSON.parse(listed.stdout).map((b: { id: number }) => b.id)).toEqual([earlyOn25]);
      const table = await run(["bill", "list", "--to", "2026-11-24"]);
      expect(table.stdout).toMatch(new RegExp(`${lateOn24} +2026-11-24 23:59:59 +at 2026-11-24T09:59:59Z`));
      expect(table.stdout).not.toContain(`at 2026-11-24T10:00:00Z`);
      const bad = await run(["bill", "list", "--from", "soon"]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain("--from: must be a date");
    } finally {
      await updateShopSettings(t.ctx(), { timeZone: zone });
    }
  });
});

describe("main menu", () => {
  it("exits 0 at end of input or on Exit, and re-asks a bad choice", async () => {
    expect((await run([], [])).code).toBe(0);
    const r = await run([], ["9", "x", "5"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Please enter a number from 1 to 5.");
    expect(r.stdout).toContain("Goodbye.");
  });
});

describe("returns and voids", () => {
  it("returns a line of a discounted bill: the server's refund is previewed, the slip printed and filed, the stock back", async () => {
    const rice = await createItem(t.ctx(), { name: "Return Rice", unit: "kg", unitPrice: "200", stockQty: "10" });
    const { bill } = await createBill(t.ctx(), { customerName: "Ali", lines: [{ itemId: rice.id, quantity: "3", discount: { kind: "PERCENT", value: "10" } }] });
    const { code, stdout } = await run([], ["3", "1", "999999", String(bill.id), "1", "5", "1", "y", "", "Too much rice", "y", "3", "5"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Bill 999999 does not exist. Please try again.");
    expect(stdout).toMatch(/1 +Return Rice +kg +3\.000 +0\.000 +3\.000 +540\.00/);
    expect(stdout).toContain("Quantity must be at most 3.000 (what is left of the line). Please try again.");
    // 540.00 for 3 kg after 10% off: 180.00 back for 1 kg, to cash (how the bill was paid).
    expect(stdout).toMatch(/Return Rice +1\.000 +kg +to stock +0\.00 +180\.00/);
    expect(stdout).toMatch(/back by cash +180\.00/);
    const returnId = Number(/Saved return (\d+)\./.exec(stdout)![1]);
    const file = /Return slip saved to (.+)/.exec(stdout)![1]!;
    const slip = fs.readFileSync(file, "utf8");
    expect(path.basename(file)).toMatch(new RegExp(`^return-${returnId}-bill-${bill.id}-\\d{8}-\\d{6}\\.txt$`));
    expect(slip).toContain("RETURN");
    expect(slip).toContain(`Bill No:   ${bill.id} of `);
    expect(slip).toContain("Reason:    Too much rice");
    expect(slip).toMatch(/REFUND +180\.00/);
    expect(stdout).toContain(slip.trimEnd());
    expect(await stockOf(rice.id)).toBe("8.000");
    const { rows } = await t.db.pool.query("SELECT refund_total::text, idempotency_key FROM bill_returns WHERE id = $1", [returnId]);
    expect(rows[0].refund_total).toBe("180.00");
    expect(rows[0].idempotency_key).toMatch(/^console-return-/);
  });

  it("a cashier's return of damaged goods asks a manager's PIN and records the approver; nothing goes back to stock", async () => {
    const cashier = await signedInStaff(t.db, "CASHIER", "Cora Cashier");
    const manager = await signedInStaff(t.db, "MANAGER", "Mo Manager");
    const eggs = await createItem(t.ctx(), { name: "Return Eggs", unitPrice: "30", stockQty: "12" });
    const { bill } = await createBill(t.ctx(), { lines: [{ itemId: eggs.id, quantity: "6" }] });
    const { code, stdout } = await run([], [cashier.staff.username, "2468", "2", "1", String(bill.id), "1", "2", "n", "", "Broken", "y", manager.staff.username, "2468", "3", "3"], { signIn: false });
    expect(code).toBe(0);
    expect(stdout).toContain("A return needs a manager's approval.");
    expect(stdout).toContain("Approved:  Mo Manager");
    expect(stdout).toContain("1. Return Eggs (damaged)");
    expect(await stockOf(eggs.id)).toBe("6.000");
    const { rows } = await t.db.pool.query("SELECT actor_id, approved_by FROM bill_returns WHERE bill_id = $1", [bill.id]);
    expect(rows).toEqual([{ actor_id: cashier.staff.id, approved_by: manager.staff.id }]);
  });

  it("voids today's bill from the menu and with `bill void`: stock back, the invoice reprinted as VOID; a second void is refused", async () => {
    const milk = await createItem(t.ctx(), { name: "Void Milk", unit: "liter", unitPrice: "150", stockQty: "10" });
    const { bill } = await createBill(t.ctx(), { lines: [{ itemId: milk.id, quantity: "2" }] });
    const { code, stdout } = await run([], ["3", "2", String(bill.id), "Rang up twice", "y", "3", "5"]);
    expect(code).toBe(0);
    expect(stdout).toContain(`Voided bill ${bill.id}.`);
    const invoice = fs.readFileSync(/Invoice saved to (.+)/.exec(stdout)![1]!, "utf8");
    expect(invoice).toContain("*** VOID ***");
    expect(invoice).toContain("Reason:   Rang up twice");
    expect(await stockOf(milk.id)).toBe("10.000");

    const again = await run(["bill", "void", String(bill.id), "--reason", "again"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`Bill ${bill.id} was voided`);
    const other = (await createBill(t.ctx(), { lines: [{ itemId: milk.id, quantity: "1" }] })).bill;
    const voided = await run(["bill", "void", String(other.id), "--reason", "Wrong customer", "--json"]);
    expect(voided.code).toBe(0);
    expect(JSON.parse(voided.stdout.slice(0, voided.stdout.lastIndexOf("}") + 1))).toMatchObject({ id: other.id, voidReason: "Wrong customer" });
    expect(await stockOf(milk.id)).toBe("10.000");
  });
});

describe("subcommands", () => {
  it("stops quietly when its reader does (storelite | head -5)", async () => {
    const cli = new Cli([]);
    // The reader goes away after the first chunk (the greeting)...
    await new Promise<void>((resolve) => cli.child.stdout.once("data", () => resolve(void cli.child.stdout.destroy())));
    cli.write(["1", "2", "6", "5"]); // menus keep printing into the closed pipe
    cli.child.stdin.end();
    expect(await cli.exit).toBe(0);
    expect(cli.stderr).not.toMatch(/EPIPE|Unhandled/);
  });

  it("items add / list / show with --json, and exit 1 with the option named on a bad value", async () => {
    const add = await run(["items", "add", "--name", "Green Tea", "--category", "Grocery", "--price", "450", "--stock", "12.5", "--sku", "GRO-GT", "--json"]);
    expect(add.code).toBe(0);
    const created = JSON.parse(add.stdout);
    expect(created).toMatchObject({ name: "Green Tea", unit: "piece", unitPrice: "450.00", stockQty: "12.500", sku: "GRO-GT", isActive: true });

    const bad = await run(["items", "add", "--name", "X", "--price=-1", "--stock", "1.2345"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--price: must not be negative");
    expect(bad.stderr).toContain("--stock: must have at most 3 decimal places");
    expect(bad.stdout).toBe("");

    const list = await run(["items", "list", "--search", "green", "--json"]);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([created]);
    const byCategory = await run(["items", "list", "--category", "grocery"]);
    expect(byCategory.stdout).toMatch(/Green Tea +Grocery +piece +450\.00 +12\.500/);

    const show = await run(["items", "show", String(created.id), "--json"], [], { bin: true });
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout)).toEqual(created);
    const missing = await run(["items", "show", "999999"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("Item 999999 does not exist");
  });

  it("bill create sells, writes the invoice, replays the same --key without selling twice, and refuses over-stock", async () => {
    const oil = await createItem(t.ctx(), { name: "Cooking Oil", unit: "liter", unitPrice: "540", stockQty: "10" });
    const salt = await createItem(t.ctx(), { name: "Salt", unit: "kg", unitPrice: "60", stockQty: "4" });
    const args = ["bill", "create", "--customer", "Ali", "--store", "S1", "--item", `${oil.id}=2`, "--item", `${salt.id}=1.5`, "--key", "script-1", "--json"];
    const first = await run(args);
    expect(first.code).toBe(0);
    const bill = JSON.parse(first.stdout);
    expect(bill).toMatchObject({
      customerName: "Ali",
      storeName: "S1",
      subtotal: "1170.00",
      totalAmount: "1170.00",
      replayed: false,
      lines: [
        { itemName: "Cooking Oil", quantity: "2.000", unitPrice: "540.00", lineTotal: "1080.00" },
        { itemName: "Salt", quantity: "1.500", unitPrice: "60.00", lineTotal: "90.00" },
      ],
    });
    expect(fs.readFileSync(bill.invoiceFile, "utf8")).toMatch(/TOTAL +1170\.00/);

    const again = await run(args);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ id: bill.id, replayed: true });
    expect(await stockOf(oil.id)).toBe("8.000");
    expect(await stockOf(salt.id)).toBe("2.500");

    const before = await databaseChecksum(t.db.pool);
    const short = await run(["bill", "create", "--item", `${oil.id}=1`, "--item", `${salt.id}=3`, "--json"]);
    expect(short.code).toBe(1);
    expect(short.stdout).toBe("");
    expect(JSON.parse(short.stderr)).toMatchObject({
      error: { code: "INSUFFICIENT_STOCK", shortages: [{ itemId: salt.id, itemName: "Salt", requested: "3.000", available: "2.500" }] },
    });
    const plain = await run(["bill", "create", "--item", `${salt.id}=3`]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain("only 2.500 kg available");
    expect(await databaseChecksum(t.db.pool)).toBe(before);

    const show = await run(["bill", "show", String(bill.id)]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`Bill No:  ${bill.id}`);
    expect(show.stdout).toMatch(/TOTAL +1170\.00/);
    const showJson = await run(["bill", "show", String(bill.id), "--json"]);
    expect(JSON.parse(showJson.stdout)).toMatchObject({ id: bill.id, totalAmount: "1170.00" });
  });

  it("usage errors exit 2 before touching the database", async () => {
    const cases = [["frobnicate"], ["items", "list", "--bogus"], ["items", "add", "--price", "1"], ["bill", "create"], ["bill", "create", "--item", "5"], ["bill", "show"]];
    const results = await Promise.all(cases.map((args) => run(args)));
    results.forEach((r, i) => {
      expect(r.code, cases[i]!.join(" ")).toBe(2);
      expect(r.stderr, cases[i]!.join(" ")).toContain('Run "storelite help" for usage.');
    });
    const help = await run(["help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("storelite bill create --item ID=QTY");
  });
});

describe("who is working", () => {
  it("a cashier signs in with a PIN: only billing is offered, and the bill and invoice carry their name", async () => {
    const cashier = await signedInStaff(t.db, "CASHIER", "Sana Cashier");
    const soap = await createItem(t.ctx(), { name: "Cashier Soap", unitPrice: "80", stockQty: "10" });
    const { code, stdout } = await run([], [cashier.staff.username, "2468", "1", "", "", "cashier soap", String(soap.id), "2", "n", "", "", "y", "", "", "3"], { signIn: false });
    expect(code).toBe(0);
    expect(stdout).toContain("Signed in as Sana Cashier (cashier).");
    expect(stdout).not.toContain("2468"); // the PIN is not echoed
    const menu = stdout.slice(stdout.indexOf("Main Menu"), stdout.indexOf("Choose an option"));
    expect(menu).toContain("1. Create New Bill");
    expect(menu).not.toContain("Manage Inventory");
    expect(stdout).toContain("Cashier:  Sana Cashier");
    const { rows } = await t.db.pool.query("SELECT b.cashier_id, m.actor_id FROM bills b JOIN stock_movements m ON m.bill_id = b.id WHERE m.item_id = $1", [soap.id]);
    expect(rows).toEqual([{ cashier_id: cashier.staff.id, actor_id: cashier.staff.id }]);
  });

  it("a cashier's discount over the limit is saved only with a manager's PIN, asked on the spot", async () => {
    const cashier = await signedInStaff(t.db, "CASHIER", "Limit Cashier");
    const manager = await signedInStaff(t.db, "MANAGER", "Limit Manager");
    const rice = await createItem(t.ctx(), { name: "Limit Rice", unitPrice: "100", stockQty: "10" });
    const { code, stdout } = await run(
      [],
      [cashier.staff.username, "2468", "1", "", "", "limit rice", String(rice.id), "1", "n", "", "50%", "y", "", "",
        manager.staff.username, "1357", // a wrong PIN: refused, asked again
        manager.staff.username, "2468", "2"],
      { signIn: false },
    );
    expect(code).toBe(0);
    expect(stdout).toContain("The discount (50.00%) is above your limit of 10%");
    expect(stdout).toMatch(/the approval does not count/);
    expect(stdout).not.toContain("1357");
    expect(stdout).toMatch(/Saved bill \d+\./);
    const { rows } = await t.db.pool.query("SELECT b.total_amount, b.discount_requested_by, b.discount_approved_by FROM bills b JOIN bill_items l ON l.bill_id = b.id WHERE l.item_id = $1", [rice.id]);
    expect(rows).toEqual([{ total_amount: "50.00", discount_requested_by: cashier.staff.id, discount_approved_by: manager.staff.id }]);
  });

  it("a wrong password is refused; subcommands without STORELITE_TOKEN ask, and refuse when nobody answers", async () => {
    const wrong = await run([], [owner.username, "not-the-password", owner.username, "nope-nope", owner.username, "still-wrong"], { signIn: false });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain("Wrong username or password.");
    expect(wrong.stderr).toContain("Not signed in after 3 attempts");
    const nobody = await run(["items", "list"], [], { signIn: false });
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toMatch(/STORELITE_TOKEN/);
  });

  it("storelite password: a cashier changes their own password (asked twice) and PIN; a token may not", async () => {
    const cashier = await signedInStaff(t.db, "CASHIER");
    const u = cashier.staff.username;
    const mismatch = await run(["password"], [u, "2468", TEST_PASSWORD, "a-new-long-password", "a-typo-password"], { signIn: false });
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain("newPassword: the two entries differ");
    const wrong = await run(["password"], [u, "2468", "not-my-password", "a-new-long-password", "a-new-long-password"], { signIn: false });
    expect(wrong.stderr).toContain("currentPassword: is not your current password");
    const done = await run(["password"], [u, "2468", TEST_PASSWORD, "a-new-long-password", "a-new-long-password"], { signIn: false });
    expect([done.code, done.stdout.trim().split("\n").at(-1)]).toEqual([0, "Password changed; your web sessions elsewhere are signed out."]);
    const pin = await run(["password", "--pin", "--json"], [u, "a-new-long-password", "a-new-long-password", "97531", "97531"], { signIn: false });
    expect(JSON.parse(pin.stdout.slice(pin.stdout.indexOf("{")))).toEqual({ username: u, hasPin: true });
    // The new PIN signs in; the old one no longer does.
    expect((await run([], [u, "97531", "3"], { signIn: false })).stdout).toContain("Signed in as");
    const old = await run([], [u, "2468", u, "2468", u, "2468"], { signIn: false });
    expect(old.stderr).toContain("Not signed in after 3 attempts");
    const boss = await signedInStaff(t.db, "OWNER");
    const script = await createApiToken({ db: t.db, actor: boss.actor }, { name: "script", scopes: ["VIEW_CATALOG"] });
    const byToken = await run(["password"], [], { token: script.secret });
    expect(byToken.code).toBe(1);
    expect(byToken.stderr).toContain("CHANGE_OWN_PASSWORD");
  });

  it("token create / list / revoke: the token is shown once, works as STORELITE_TOKEN, and stops working when revoked", async () => {
    const created = await run(["token", "create", "--name", "till script", "--scopes", "VIEW_CATALOG,SELL", "--json"]);
    expect(created.code, created.stderr).toBe(0);
    const token = JSON.parse(created.stdout) as { id: number; secret: string; scopes: string[] };
    expect(token.scopes).toEqual(["VIEW_CATALOG", "SELL"]);
    const listed = await run(["token", "list"]);
    expect(listed.stdout).toContain("till script");
    expect(listed.stdout).not.toContain(token.secret);

    const asToken = new Cli(["items", "add", "--name", "Forbidden", "--price", "1"], { signIn: false, token: token.secret });
    asToken.child.stdin.end();
    expect(await asToken.exit).toBe(1); // a token without EDIT_CATALOG
    const { rows } = await t.db.pool.query("SELECT token_hash FROM api_tokens WHERE id = $1", [token.id]);
    expect(rows[0].token_hash).not.toContain(token.secret);

    expect((await run(["token", "revoke", String(token.id)])).stdout).toContain("stops working at once");
  });
});
