import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/fixtures.ts";
import { createBill } from "../domain/bills.ts";
import { createItem } from "../domain/items.ts";
import { EXIT, UsageError, parseCommand, runCommand } from "./commands.ts";

const t = useTestDatabase(3);

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommand(parseCommand(argv), t.ctx(), { stdout: (s) => out.push(s), stderr: (s) => err.push(s), invoiceDir: "/tmp" });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("storelite report / items low-stock / items reorder", () => {
  it("prints the sales summary as a table and as JSON, and refuses a bad range naming the option", async () => {
    process.env.STORELITE_TIME_ZONE = "Asia/Karachi";
    const rice = await createItem(t.ctx(), { name: "CLI Rice", category: "Grocery", unit: "kg", unitPrice: "300", stockQty: "12", reorderPoint: "10", reorderQty: "25", unitCost: "200" });
    await createBill(t.ctx(), { lines: [{ itemId: rice.id, quantity: "2.5" }] });

    const table = await run("report", "sales", "--period", "today");
    expect(table.code).toBe(EXIT.ok);
    expect(table.out).toMatch(/^Sales \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2} \(not included\), Asia\/Karachi\n/);
    expect(table.out).toMatch(/\nTotal\s+1\s+750\.00\s+0\.00\s+0\.00\s+750\.00\s+0\.00\s+500\.00\s+250\.00$/);

    const json = JSON.parse((await run("report", "sales", "--period", "TODAY", "--json")).out);
    expect(json.totals).toMatchObject({ bills: 1, gross: "750.00", net: "750.00", cost: "500.00", margin: "250.00" });

    const bad = await run("report", "sales", "--from", "2026-11-02", "--to", "2026-11-01");
    expect(bad.code).toBe(EXIT.refused);
    expect(bad.err).toBe("storelite: --to: must be after from (the range is [from, to): to is not included)");

    const top = JSON.parse((await run("report", "top-items", "--period", "THIS_MONTH", "--by", "revenue", "--json")).out);
    expect(top.rows[0]).toMatchObject({ itemName: "CLI Rice", quantity: "2.500", revenue: "750.00" });
    expect((await run("report", "categories", "--period", "LAST_7_DAYS")).out).toMatch(/Grocery\s+750\.00\s+100\.0/);
    expect((await run("report", "hours", "--period", "TODAY")).out.split("\n")).toHaveLength(1 + 2 + 24);
    expect((await run("report", "stock-value")).out).toMatch(/Grocery\s+1\s+1900\.00\s+2850\.00/);
    expect((await run("report", "cashiers", "--period", "TODAY")).out).toMatch(/\nNo cashier recorded\s+1\s+750\.00\s+0\.00\s+0\s+750\.00\s+0\.00\s+750\.00\s+0\s+0\.00\s+0\s+0\.00\s+0\s+0$/);
    expect((await run("report", "tax", "--period", "TODAY")).out).toMatch(/\nNo tax\s+0\s+1\s+1\s+750\.00\s+0\.00\s+0\.00\s+0\.00\n/);
    const payments = JSON.parse((await run("report", "payments", "--period", "TODAY", "--json")).out);
    expect(payments).toMatchObject({ amount: "750.00", refunded: "0.00", net: "750.00", billsWithoutPayments: 0 });
    expect(payments.rows[0]).toMatchObject({ method: "CASH", payments: 1, bills: 1, amount: "750.00", tendered: "750.00", change: "0.00" });

    const low = await run("items", "low-stock");
    expect(low.out).toMatch(/CLI Rice\s+Grocery\s+9\.500\s+10\.000\s+kg/);
    const reorder = await run("items", "reorder", "--json");
    expect(JSON.parse(reorder.out)).toEqual([
      { category: "Grocery", estimatedCost: "5000.00", linesWithoutCost: 0, lines: [{ itemId: rice.id, name: "CLI Rice", unit: "kg", stockQty: "9.500", quantity: "25.000", estimatedCost: "5000.00" }] },
    ]);
    delete process.env.STORELITE_TIME_ZONE;
  });

  it("usage errors for unknown reports and options", () => {
    expect(() => parseCommand(["report", "profits"])).toThrow(UsageError);
    expect(() => parseCommand(["report", "sales", "--colour", "red"])).toThrow(UsageError);
    expect(() => parseCommand(["items", "low-stock", "extra"])).toThrow(UsageError);
  });
});
