// A complete sale against the real database: settings, tax rates by category
// and item, discounts, payments and change, preview = bill, limits and refusals.
import { describe, expect, it } from "vitest";
import { bookViolations } from "../testing/books.ts";
import { databaseChecksum, tableChecksums } from "../testing/checksum.ts";
import { TEST_PIN, signedInStaff, useTestDatabase } from "../testing/fixtures.ts";
import { ROLE_PERMISSIONS, type Actor, type Role } from "./access.ts";
import { createBill, getBill, previewBill } from "./bills.ts";
import { IdempotencyKeyReusedError, ValidationError } from "./errors.ts";
import { createItem, updateItem } from "./items.ts";
import { getShopSettings, updateShopSettings } from "./settings.ts";
import { createTaxRate, setCategoryTaxRate, setItemTaxRate, updateTaxRate } from "./tax-rates.ts";
import { DiscountApprovalRequiredError, PaymentExceedsDueError, PaymentShortError, TotalChangedError } from "./totals-errors.ts";

const t = useTestDatabase(10);

const staff = (role: Role, staffId = 7): Actor => ({ kind: "staff", staffId, name: "Sara", role, permissions: new Set(ROLE_PERMISSIONS[role]) });
const as = (actor: Actor) => ({ ...t.ctx(), actor });
const defaults = { pricesIncludeTax: false, taxRounding: "PER_LINE", cashRounding: "0.00", cashierDiscountLimit: "10" } as const;

async function shop() {
  const gst = await createTaxRate(t.ctx(), { name: `GST ${Math.random()}`, percent: "17" });
  const sugar = await createItem(t.ctx(), { name: "Sugar", category: "Grocery", unit: "kg", unitPrice: "160", stockQty: "50", sku: `SUG-${Math.random().toString(36).slice(2, 8)}` });
  const soap = await createItem(t.ctx(), { name: "Soap", category: "Beauty", unitPrice: "45.50", stockQty: "50" });
  await setCategoryTaxRate(t.ctx(), { category: "grocery", taxRateId: gst.id });
  return { gst, sugar, soap };
}

describe("settings and tax rates", () => {
  it("the migration made one default store; settings change field by field with every problem named", async () => {
    const s = await getShopSettings(t.ctx());
    expect(s).toMatchObject({ name: "StoreLite", currency: "PKR", pricesIncludeTax: false, taxRounding: "PER_LINE", cashRounding: "0.00", timeZone: "UTC" });
    const changed = await updateShopSettings(t.ctx(), { name: "Ali Traders", address: "12 Mall Road, Lahore", currency: "pkr", timeZone: "Asia/Karachi", cashRounding: "0.5" });
    expect(changed).toMatchObject({ name: "Ali Traders", currency: "PKR", timeZone: "Asia/Karachi", cashRounding: "0.50", phone: null });
    const bad = await updateShopSettings(t.ctx(), { currency: "XYZ1", timeZone: "Mars/Olympus", cashRounding: "0.20", taxRounding: "SOMETIMES", cashierDiscountLimit: "101" }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ValidationError);
    expect((bad as ValidationError).fieldErrors.map((f) => f.path.join("."))).toEqual(["currency", "taxRounding", "cashRounding", "timeZone", "cashierDiscountLimit"]);
    await expect(updateShopSettings(as(staff("CASHIER")), { name: "Mine" })).rejects.toThrow("needs the MANAGE_SETTINGS permission");
    await updateShopSettings(t.ctx(), { ...defaults, cashRounding: "0.00" });
  });

  it("an item's own rate overrides its category's; an inactive rate no longer applies", async () => {
    const { gst, sugar, soap } = await shop();
    const low = await createTaxRate(t.ctx(), { name: `Low ${Math.random()}`, percent: "5.5" });
    await setItemTaxRate(t.ctx(), { itemId: soap.id, taxRateId: low.id });
    const lines = [{ itemId: sugar.id, quantity: "1" }, { itemId: soap.id, quantity: "2" }];
    let p = await previewBill(t.ctx(), { lines });
    expect(p.lines.map((l) => [l.taxRateName, l.taxRatePercent.toString(), l.taxAmount.toFixed(2)])).toEqual([
      [gst.name, "17", "27.20"],
      [low.name, "5.5", "5.01"],
    ]);
    await updateTaxRate(t.ctx(), low.id, { isActive: false });
    p = await previewBill(t.ctx(), { lines });
    expect(p.lines[1]).toMatchObject({ taxRateName: null });
    await expect(setItemTaxRate(t.ctx(), { itemId: soap.id, taxRateId: 999999 })).rejects.toThrow("taxRateId: tax rate 999999 does not exist");
    await expect(createTaxRate(t.ctx(), { name: gst.name, percent: "1.2345" })).rejects.toThrow(/percent: must have at most 3 decimal places/);
  });
});

describe("a bill with discounts, tax and two payments", () => {
  it("preview and bill agree to the cent; the bill snapshots everything and reprints the same after price, rate and settings change", async () => {
    await updateShopSettings(t.ctx(), { ...defaults, name: "Ali Traders", receiptFooter: "No returns after 7 days" });
    const { gst, sugar, soap } = await shop();
    const input = {
      customerName: "Ali",
      lines: [
        { itemId: sugar.id, quantity: "2", discount: { kind: "PERCENT", value: "10", reason: "loyal customer" } },
        { itemId: soap.id, quantity: "3" },
      ],
      billDiscount: { kind: "AMOUNT", value: "20" },
      payments: [
        { method: "CARD", amount: "300.00", reference: "4242" },
        { method: "CASH", amount: "200" },
      ],
      idempotencyKey: `sale-${Math.random()}`,
    };
    const preview = await previewBill(t.ctx(), input);
    // sugar 320.00 − 32.00 = 288.00, soap 136.50; bill discount 20.00 split 288 : 136.5 → 13.57 / 6.43
    expect(preview.lines.map((l) => [l.lineTotal.toFixed(2), l.lineDiscount.toFixed(2), l.billDiscountShare.toFixed(2), l.taxAmount.toFixed(2), l.chargedTotal.toFixed(2)])).toEqual([
      ["320.00", "32.00", "13.57", "46.65", "321.08"],
      ["136.50", "0.00", "6.43", "0.00", "130.07"],
    ]);
    expect([preview.subtotal, preview.discountTotal, preview.taxTotal, preview.totalAmount, preview.changeDue].map((d) => d.toFixed(2))).toEqual([
      "456.50", "52.00", "46.65", "451.15", "48.85",
    ]);
    const expectedTotal = preview.totalAmount.toFixed(2);
    const { bill } = await createBill(t.ctx(), { ...input, expectedTotal });
    expect(bill.totalAmount.toFixed(2)).toBe(expectedTotal);
    expect(bill.payments.map((p) => [p.method, p.amount.toFixed(2), p.tendered?.toFixed(2) ?? null, p.change.toFixed(2), p.reference])).toEqual([
      ["CARD", "300.00", null, "0.00", "4242"],
      ["CASH", "151.15", "200.00", "48.85", null],
    ]);
    expect(bill.taxBreakdown).toEqual([{ rateId: gst.id, name: gst.name, percent: "17", taxableBase: "274.43", tax: "46.65" }]);
    expect(bill.shopHeader).toMatchObject({ name: "Ali Traders", currency: "PKR", receiptFooter: "No returns after 7 days" });
    expect(bill.storeName).toBe("Ali Traders");
    expect(bill.lines[0]).toMatchObject({ sku: sugar.sku, discountKind: "PERCENT", discountReason: "loyal customer" });

    const stored = await getBill(t.ctx(), bill.id);
    const snapshot = JSON.stringify(stored);
    expect(JSON.parse(snapshot)).toEqual(JSON.parse(JSON.stringify(bill)));
    await updateItem(t.ctx(), sugar.id, { unitPrice: "999", name: "Sugar (fine)" });
    await updateTaxRate(t.ctx(), gst.id, { percent: "18", name: `${gst.name} new` });
    await updateShopSettings(t.ctx(), { name: "Someone Else", receiptFooter: null, pricesIncludeTax: true });
    expect(JSON.stringify(await getBill(t.ctx(), bill.id))).toBe(snapshot);
    await updateShopSettings(t.ctx(), { ...defaults, name: "StoreLite" });
  });

  it("a bill without payments is cash paid exactly; an old-style retry hashes as before", async () => {
    const { soap } = await shop();
    const key = `old-${Math.random()}`;
    const { bill } = await createBill(t.ctx(), { lines: [{ itemId: soap.id, quantity: 2 }], idempotencyKey: key });
    expect(bill.payments.map((p) => [p.method, p.amount.toFixed(2), p.tendered?.toFixed(2), p.change.toFixed(2)])).toEqual([["CASH", "91.00", "91.00", "0.00"]]);
    expect((await createBill(t.ctx(), { lines: [{ itemId: soap.id, quantity: 2 }], idempotencyKey: key })).replayed).toBe(true);
    await expect(createBill(t.ctx(), { lines: [{ itemId: soap.id, quantity: 2 }], payments: [{ method: "CARD", amount: "91" }], idempotencyKey: key })).rejects.toThrow(
      IdempotencyKeyReusedError,
    );
  });

  it("refuses, writing nothing: short payments, a card over what is due, a changed total, a discount over a line", async () => {
    const { sugar } = await shop();
    const before = await databaseChecksum(t.db.pool);
    const lines = [{ itemId: sugar.id, quantity: "1" }]; // 160.00 + 17% = 187.20
    await expect(createBill(t.ctx(), { lines, payments: [{ method: "CASH", amount: "100" }] })).rejects.toThrow(PaymentShortError);
    await expect(createBill(t.ctx(), { lines, payments: [{ method: "CARD", amount: "200" }] })).rejects.toThrow(PaymentExceedsDueError);
    const changed = await createBill(t.ctx(), { lines, expectedTotal: "160.00" }).catch((e: unknown) => e);
    expect(changed).toBeInstanceOf(TotalChangedError);
    expect(changed).toMatchObject({ expectedTotal: "160.00", total: "187.20" });
    await expect(createBill(t.ctx(), { lines: [{ ...lines[0], discount: { kind: "AMOUNT", value: "161" } }] })).rejects.toThrow("lines.0.discount: is 161.00, more than the 160.00");
    const bad = await createBill(t.ctx(), {
      lines: [{ itemId: sugar.id, quantity: "1", discount: { kind: "HALF", value: "x" } }],
      billDiscount: { kind: "PERCENT", value: "101" },
      payments: [{ method: "CHEQUE", amount: "-1" }, { method: "OTHER", amount: "5" }],
      approval: { username: "boss" },
    }).catch((e: unknown) => e);
    expect((bad as ValidationError).fieldErrors.map((f) => `${f.path.join(".")} ${f.code}`)).toEqual([
      "lines.0.discount.kind INVALID_VALUE",
      "billDiscount.value TOO_LARGE",
      "payments.0.method INVALID_VALUE",
      "payments.0.amount NOT_POSITIVE",
      "payments.1.label REQUIRED",
      "approval.pin REQUIRED",
    ]);
    expect(await databaseChecksum(t.db.pool)).toBe(before);
  });

  it("cash rounding applies when the last payment is cash and is kept as its own amount", async () => {
    await updateShopSettings(t.ctx(), { ...defaults, cashRounding: "0.50" });
    const soap = await createItem(t.ctx(), { name: "Soap bar", unitPrice: "45.20", stockQty: "9" });
    const cash = await createBill(t.ctx(), { lines: [{ itemId: soap.id, quantity: "1" }], payments: [{ method: "CASH", amount: "50" }] });
    expect([cash.bill.cashRounding, cash.bill.totalAmount, cash.bill.changeDue].map((d) => d.toFixed(2))).toEqual(["-0.20", "45.00", "5.00"]);
    const card = await createBill(t.ctx(), { lines: [{ itemId: soap.id, quantity: "1" }], payments: [{ method: "CARD", amount: "45.20" }] });
    expect([card.bill.cashRounding, card.bill.totalAmount].map((d) => d.toFixed(2))).toEqual(["0.00", "45.20"]);
    await updateShopSettings(t.ctx(), defaults);
  });
});

describe("discount limits", () => {
  it("a cashier may discount up to the shop's limit; above it a manager's PIN approves, recorded on the bill", async () => {
    await updateShopSettings(t.ctx(), { ...defaults, cashierDiscountLimit: "10" });
    const soap = await createItem(t.ctx(), { name: "Soap limit", unitPrice: "100", stockQty: "20" });
    const lines = [{ itemId: soap.id, quantity: "1" }];
    const cashier = await signedInStaff(t.db, "CASHIER");
    const manager = await signedInStaff(t.db, "MANAGER");
    const other = await signedInStaff(t.db, "CASHIER");
    const ok = await createBill(as(cashier.actor), { lines, billDiscount: { kind: "PERCENT", value: "10" } });
    expect(ok.bill).toMatchObject({ discountRequestedBy: cashier.staff.id, discountApprovedBy: null, cashierId: cashier.staff.id });
    const preview = await previewBill(as(cashier.actor), { lines, billDiscount: { kind: "PERCENT", value: "15" } });
    expect(preview).toMatchObject({ discountApprovalRequired: true, discountPercent: "15.00", discountLimitPercent: "10" });
    const refused = await createBill(as(cashier.actor), { lines, billDiscount: { kind: "PERCENT", value: "15" } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DiscountApprovalRequiredError);
    expect(refused).toMatchObject({ discountPercent: "15.00", limitPercent: "10" });
    // A wrong PIN, and another cashier's right PIN, do not count (the failed attempt itself is recorded on the staff row).
    const sales = ["items", "bills", "bill_items", "bill_payments", "stock_movements"];
    const before = await tableChecksums(t.db.pool, sales);
    await expect(
      createBill(as(cashier.actor), { lines, billDiscount: { kind: "PERCENT", value: "15" }, approval: { username: manager.staff.username, pin: "000000" } }),
    ).rejects.toThrow("the approval does not count");
    await expect(
      createBill(as(cashier.actor), { lines, billDiscount: { kind: "PERCENT", value: "15" }, approval: { username: other.staff.username, pin: TEST_PIN } }),
    ).rejects.toThrow("may not approve it");
    expect(await tableChecksums(t.db.pool, sales)).toEqual(before);
    const approved = await createBill(as(cashier.actor), {
      lines,
      billDiscount: { kind: "PERCENT", value: "15" },
      approval: { username: manager.staff.username, pin: TEST_PIN },
    });
    expect(approved.bill).toMatchObject({ discountRequestedBy: cashier.staff.id, discountApprovedBy: manager.staff.id });
    expect(approved.bill.discountTotal.toFixed(2)).toBe("15.00");
    const byManager = await createBill(as(manager.actor), { lines, billDiscount: { kind: "PERCENT", value: "50" } });
    expect(byManager.bill.discountTotal.toFixed(2)).toBe("50.00");
    expect((await previewBill(t.ctx(), { lines, billDiscount: { kind: "PERCENT", value: "90" } })).discountApprovalRequired).toBe(false);

    // Who asked and who approved are staff rows: neither can be deleted from under the bill, nor a stranger recorded.
    await t.db.pool.query("DELETE FROM sessions WHERE staff_id = ANY($1)", [[manager.staff.id, cashier.staff.id]]);
    await t.db.pool.query("UPDATE bills SET discount_requested_by = NULL WHERE discount_requested_by = $1", [manager.staff.id]);
    await expect(t.db.pool.query("DELETE FROM staff WHERE id = $1", [manager.staff.id])).rejects.toMatchObject({ code: "23001", constraint: "bills_discount_approved_by_fkey" });
    await expect(t.db.pool.query("DELETE FROM staff WHERE id = $1", [cashier.staff.id])).rejects.toMatchObject({ code: "23001", constraint: "bills_discount_requested_by_fkey" });
    await expect(t.db.pool.query("UPDATE bills SET discount_requested_by = 987654 WHERE id = $1", [ok.bill.id])).rejects.toMatchObject({ code: "23503" });
  });
});

describe("the books", () => {
  it("tax-inclusive prices, per-bill rounding and cash rounding: every stored figure adds up", async () => {
    await updateShopSettings(t.ctx(), { pricesIncludeTax: true, taxRounding: "PER_BILL_PER_RATE", cashRounding: "0.05" });
    const { sugar, soap } = await shop();
    const { bill } = await createBill(t.ctx(), {
      lines: [
        { itemId: sugar.id, quantity: "1.333", discount: { kind: "AMOUNT", value: "3.33" } },
        { itemId: soap.id, quantity: "7" },
      ],
      billDiscount: { kind: "PERCENT", value: "7.5" },
      payments: [{ method: "MOBILE", amount: "100", reference: "wallet-77" }, { method: "CASH", amount: "500" }],
    });
    expect(bill.pricesIncludeTax).toBe(true);
    expect(bill.taxTotal.greaterThan(0)).toBe(true);
    expect(bill.totalAmount.mod("0.05").isZero() || bill.cashRounding.isZero()).toBe(true);
    await updateShopSettings(t.ctx(), defaults);
    expect(await bookViolations(t.db.pool)).toEqual([]);
  });
});
