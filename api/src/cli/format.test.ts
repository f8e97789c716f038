import { describe, expect, it } from "vitest";
import type { BillWithLines } from "../domain/bills.ts";
import type { Item } from "../domain/items.ts";
import { Decimal } from "../domain/money.ts";
import { billJson, formatDateTime, formatPreview, formatInvoice, formatItemTable, formatTable, invoiceFileName, itemJson, wrap } from "./format.ts";

const item = (id: number, name: string, category: string, unit: string, price: string, stock: string, isActive = true): Item => ({
  id,
  name,
  sku: null,
  category,
  unit,
  unitPrice: new Decimal(price),
  stockQty: new Decimal(stock),
  isActive,
  taxRateId: null,
  createdAt: new Date("2026-11-25T09:00:00Z"),
  updatedAt: new Date("2026-11-25T09:00:00Z"),
  reorderPoint: null,
  reorderQty: null,
  unitCost: null,
});

// What a bill made before discounts, tax and payments reads as (the migration's defaults).
const line = (l: Pick<BillWithLines["lines"][number], "id" | "billId" | "itemId" | "itemName" | "unit" | "unitPrice" | "quantity" | "lineTotal"> & Partial<Pick<BillWithLines["lines"][number], "category" | "unitCost">>): BillWithLines["lines"][number] => ({
  category: "Other",
  unitCost: null,
  ...l,
  sku: null,
  discountKind: null,
  discountValue: null,
  discountReason: null,
  lineDiscount: new Decimal(0),
  billDiscountShare: new Decimal(0),
  taxRateId: null,
  taxRateName: null,
  taxRatePercent: new Decimal(0),
  taxableAmount: l.lineTotal,
  taxAmount: new Decimal(0),
  chargedTotal: l.lineTotal,
  returnedQty: new Decimal(0),
  refundedTotal: new Decimal(0),
});

const bill: BillWithLines = {
  storeId: null,
  shiftId: null,
  voidedAt: null,
  voidedBy: null,
  voidedByName: null,
  voidReason: null,
  voidApprovedBy: null,
  refundedTotal: new Decimal(0),
  discountTotal: new Decimal(0),
  billDiscountKind: null,
  billDiscountValue: null,
  billDiscountAmount: new Decimal(0),
  billDiscountReason: null,
  taxTotal: new Decimal(0),
  taxBreakdown: [],
  pricesIncludeTax: false,
  taxRounding: "PER_LINE",
  cashRounding: new Decimal(0),
  changeDue: new Decimal(0),
  shopHeader: null,
  discountRequestedBy: null,
  discountApprovedBy: null,
  payments: [],
  id: 42,
  customerName: "Ali",
  storeName: "Utility Store #1",
  subtotal: new Decimal("890.00"),
  totalAmount: new Decimal("890.00"),
  idempotencyKey: null,
  requestHash: null,
  cashierId: null,
  cashierName: null,
  createdAt: new Date("2026-11-25T17:45:09Z"),
  lines: [
    line({ id: 1, billId: 42, itemId: 1, itemName: "Sugar", unit: "kg", unitPrice: new Decimal("160"), quantity: new Decimal("1.5"), lineTotal: new Decimal("240"), category: "Grocery", unitCost: null }),
    line({ id: 2, billId: 42, itemId: 21, itemName: "Shampoo Bottle", unit: "piece", unitPrice: new Decimal("650"), quantity: new Decimal("1"), lineTotal: new Decimal("650"), category: "Beauty", unitCost: null }),
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

describe("formatPreview", () => {
  it("shows the server's pricing: lines, then totals lined up under the line totals", () => {
    const preview = formatPreview(bill).split("\n");
    const width = preview[0]!.length;
    expect(preview[0]).toMatch(/^# +Item +Qty +Unit +Price +Line total$/);
    expect(preview[2]).toMatch(/^1 +Sugar +1\.500 +kg +160\.00 +240\.00$/);
    expect(preview.at(-2)).toBe(`${"Subtotal".padEnd(width - 6)}890.00`);
    expect(preview.at(-1)).toBe(`${"Total".padEnd(width - 6)}890.00`);
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

  it("prints a voided bill as VOID, with when, who and why; a bill with returns says what was refunded", () => {
    const voided = formatInvoice(
      { ...bill, voidedAt: new Date("2026-11-25T18:00:00Z"), voidedBy: 2, voidedByName: "Maria", voidReason: "rang up twice" },
      { timeZone: "UTC", width: 40 },
    ).split("\n");
    expect(voided[3]).toBe("              *** VOID ***");
    const at = voided.findIndex((l) => l.startsWith("Voided:")) - 1;
    expect(voided.slice(at, at + 4)).toEqual(["              *** VOID ***", "Voided:   2026-11-25 18:00:00", "By:       Maria", "Reason:   rang up twice"]);
    const refunded = formatInvoice({ ...bill, refundedTotal: new Decimal("240.00") }, { timeZone: "UTC", width: 40 });
    expect(refunded).toContain("Refunded by returns              -240.00");
    expect(refunded).not.toContain("VOID");
  });

  it("names the cashier who sold it, under the customer", () => {
    const lines = formatInvoice({ ...bill, cashierId: 3, cashierName: "Sana Cashier" }, { timeZone: "UTC", width: 40 }).split("\n");
    expect(lines.slice(5, 7)).toEqual(["Customer: Ali", "Cashier:  Sana Cashier"]);
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
