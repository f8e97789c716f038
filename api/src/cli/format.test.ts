import { describe, expect, it } from "vitest";
import type { BillWithLines } from "../domain/bills.ts";
import type { Item } from "../domain/items.ts";
import { Decimal } from "../domain/money.ts";
import { billJson, cartTotals, formatCart, formatDateTime, formatInvoice, formatItemTable, formatTable, invoiceFileName, itemJson, wrap } from "./format.ts";

const item = (id: number, name: string, category: string, unit: string, price: string, stock: string, isActive = true): Item => ({
  id,
  name,
  sku: null,
  category,
  unit,
  unitPrice: new Decimal(price),
  stockQty: new Decimal(stock),
  isActive,
  createdAt: new Date("2026-11-25T09:00:00Z"),
  updatedAt: new Date("2026-11-25T09:00:00Z"),
  reorderPoint: null,
  reorderQty: null,
  unitCost: null,
});

const bill: BillWithLines = {
  id: 42,
  customerName: "Ali",
  storeName: "Utility Store #1",
  subtotal: new Decimal("890.00"),
  totalAmount: new Decimal("890.00"),
  idempotencyKey: null,
  requestHash: null,
  createdAt: new Date("2026-11-25T17:45:09Z"),
  lines: [
    { id: 1, billId: 42, itemId: 1, itemName: "Sugar", unit: "kg", unitPrice: new Decimal("160"), quantity: new Decimal("1.5"), lineTotal: new Decimal("240"), category: "Grocery", unitCost: null },
    { id: 2, billId: 42, itemId: 21, itemName: "Shampoo Bottle", unit: "piece", unitPrice: new Decimal("650"), quantity: new Decimal("1"), lineTotal: new Decimal("650"), category: "Beauty", unitCost: null },
  ],
};

describe("formatTable", () => {
  it("aligns columns, right-aligns numbers and clips long cells", () => {
    const text = formatTable(
      [{ header: "ID", align: "right" }, { header: "Name", maxWidth: 6 }, { header: "Price", align: "right" }],
      [
        ["1", "Sugar", "160.00"],
        ["12", "Cooking Oil", "5.00"],
      ],
    );
    expect(text).toBe(["ID  Name     Price", "--  ------  ------", " 1  Sugar   160.00", "12  Cooki…    5.00"].join("\n"));
  });
});

describe("formatItemTable", () => {
  it("shows ID, Name, Category, Unit, Price, Stock with fixed decimals", () => {
    const text = formatItemTable([item(1, "Sugar", "Grocery", "kg", "160", "50"), item(7, "Old Soap", "Beauty", "piece", "9.5", "0", false)]);
    expect(text.split("\n")).toEqual([
      "ID  Name                 Category  Unit    Price   Stock",
      "--  -------------------  --------  -----  ------  ------",
      " 1  Sugar                Grocery   kg     160.00  50.000",
      " 7  Old Soap (inactive)  Beauty    piece    9.50   0.000",
    ]);
  });
});

describe("cart", () => {
  it("computes line totals and the total in decimals (0.1 + 0.2 is 0.30 here)", () => {
    const lines = [
      { itemId: 1, name: "Sugar", unit: "kg", unitPrice: new Decimal("160"), quantity: new Decimal("1.5") },
      { itemId: 2, name: "Candy", unit: "piece", unitPrice: new Decimal("0.10"), quantity: new Decimal("1") },
      { itemId: 3, name: "Gum", unit: "piece", unitPrice: new Decimal("0.20"), quantity: new Decimal("1") },
    ];
    const { lineTotals, total } = cartTotals(lines);
    expect(lineTotals.map((t) => t.toFixed(2))).toEqual(["240.00", "0.10", "0.20"]);
    expect(total.toFixed(2)).toBe("240.30");
    const preview = formatCart(lines).split("\n");
    expect(preview[0]).toBe("#  Item     Qty  Unit    Price  Line total");
    expect(preview[2]).toBe("1  Sugar  1.500  kg     160.00      240.00");
    // Totals line up under the "Line total" column.
    expect(preview.at(-2)).toBe(`${"Subtotal".padEnd(36)}240.30`);
    expect(preview.at(-1)).toBe(`${"Total".padEnd(36)}240.30`);
    expect(preview.at(-1)!.length).toBe(preview[0]!.length);
  });
});

describe("formatInvoice", () => {
  it("prints store, date, bill number, customer, lines and total", () => {
    expect(formatInvoice(bill, { timeZone: "UTC", width: 40 })).toBe(
      [
        "========================================",
        "            Utility Store #1",
        "========================================",
        "Bill No:  42",
        "Date:     2026-11-25 17:45:09",
        "Customer: Ali",
        "----------------------------------------",
        "1. Sugar",
        "   1.500 kg x 160.00              240.00",
        "2. Shampoo Bottle",
        "   1.000 piece x 650.00           650.00",
        "----------------------------------------",
        "Subtotal                          890.00",
        "TOTAL                             890.00",
        "========================================",
        "          2 items - thank you!",
        "",
      ].join("\n"),
    );
  });

  it("falls back to a default heading, leaves out a missing customer and wraps long names", () => {
    const text = formatInvoice(
      { ...bill, storeName: null, customerName: null, lines: [{ ...bill.lines[0]!, itemName: "Extra long basmati rice premium quality sella" }] },
      { timeZone: "Asia/Karachi", width: 30 },
    );
    expect(text).toContain("          StoreLite\n");
    expect(text).not.toContain("Customer:");
    expect(text).toContain("Date:     2026-11-25 22:45:09");
    expect(text).toContain("1. Extra long basmati rice\npremium quality sella\n");
  });

  it("names the file after the bill number and its time", () => {
    expect(invoiceFileName(bill, "UTC")).toBe("bill-42-20261125-174509.txt");
  });
});

describe("helpers", () => {
  it("formats date-times and wraps text", () => {
    expect(formatDateTime(new Date("2026-01-02T03:04:05Z"), "UTC")).toBe("2026-01-02 03:04:05");
    expect(wrap("a bb ccc dddd", 6)).toEqual(["a bb", "ccc", "dddd"]);
    expect(wrap("abcdefghij", 4)).toEqual(["abcd", "efgh", "ij"]);
    expect(wrap("", 4)).toEqual([""]);
  });

  it("gives JSON with decimal strings", () => {
    expect(itemJson(item(1, "Sugar", "Grocery", "kg", "160", "1.5"))).toMatchObject({ unitPrice: "160.00", stockQty: "1.500", isActive: true });
    expect(billJson(bill)).toMatchObject({
      id: 42,
      totalAmount: "890.00",
      createdAt: "2026-11-25T17:45:09.000Z",
      lines: [{ itemName: "Sugar", quantity: "1.500", unitPrice: "160.00", lineTotal: "240.00" }, { quantity: "1.000" }],
    });
  });
});
