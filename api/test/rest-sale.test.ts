// A complete sale over REST in snake_case: settings and tax rates, POST
// /bills/preview = POST /bills to the cent, discounts, tax and two payments,
// refusals with their status codes, and old bills as before.
import { describe, expect, it } from "vitest";
import { databaseChecksum } from "../src/testing/checksum.ts";
import { useTestServer } from "../src/testing/fixtures.ts";

const t = useTestServer(10);

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await t.fetch(path, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe("a complete sale over REST", () => {
  it("previews and sells a taxed, discounted bill paid by card and cash; the reprint does not change with prices", async () => {
    expect((await call("PUT", "/settings", { name: "Ali Traders", receipt_footer: "Thank you!", cash_rounding: "0.00" })).body).toMatchObject({ name: "Ali Traders", currency: "PKR" });
    const gst = (await call("POST", "/tax-rates", { name: "GST", percent: "17" })).body;
    expect((await call("PUT", "/category-tax-rates/grocery", { tax_rate_id: gst.id })).body).toEqual([{ category: "grocery", tax_rate: { id: gst.id, name: "GST", percent: "17", is_active: true } }]);
    const sugar = (await call("POST", "/items", { name: "Sugar", category: "Grocery", unit: "kg", unit_price: "160", stock_qty: "20", sku: "SUG-R" })).body;
    const soap = (await call("POST", "/items", { name: "Soap", category: "Beauty", unit_price: "45.50", stock_qty: "20" })).body;
    const sale = {
      customer_name: "Ali",
      items: [{ item_id: sugar.id, quantity: "2", discount: { kind: "PERCENT", value: "10" } }, { item_id: soap.id, quantity: 3 }],
      bill_discount: { kind: "AMOUNT", value: "20" },
      payments: [{ method: "CARD", amount: "300.00", reference: "4242" }, { method: "CASH", amount: "200" }],
    };
    const preview = await call("POST", "/bills/preview", sale);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ subtotal: "456.50", discount_total: "52.00", tax_total: "46.65", total_amount: "451.15", change_due: "48.85", discount_approval_required: false });
    const created = await call("POST", "/bills", { ...sale, expected_total: preview.body.total_amount }, { "idempotency-key": "rest-sale-1" });
    expect(created.status).toBe(201);
    const bill = created.body;
    const { id, idempotency_key, created_at, items, cashier_name, refunded_total, voided_at, void_reason, voided_by, ...rest } = bill;
    expect(cashier_name).toBe("Test Owner");
    // Only a stored bill has returns and voids: none yet.
    expect([refunded_total, voided_at, void_reason, voided_by]).toEqual(["0.00", null, null, null]);
    const { items: previewItems, discount_approval_required, discount_percent, discount_limit_percent, ...previewRest } = preview.body;
    expect(rest).toEqual(previewRest);
    expect(items.map(({ id: _, returned_qty, refunded_total, ...l }: { id: number; returned_qty: string; refunded_total: string }) => l)).toEqual(previewItems);
    expect(bill.payments).toEqual([
      { position: 1, method: "CARD", amount: "300.00", tendered: null, change: "0.00", label: null, reference: "4242" },
      { position: 2, method: "CASH", amount: "151.15", tendered: "200.00", change: "48.85", label: null, reference: null },
    ]);
    expect(bill.tax_breakdown).toEqual([{ rate_id: gst.id, name: "GST", percent: "17", taxable_base: "274.43", tax: "46.65" }]);
    expect(bill.shop).toMatchObject({ name: "Ali Traders", receipt_footer: "Thank you!", currency: "PKR" });

    const before = JSON.stringify((await call("GET", `/bills/${id}`)).body);
    await call("PUT", `/items/${sugar.id}`, { unit_price: "999" });
    await call("PUT", `/tax-rates/${gst.id}`, { percent: "18", name: "GST new" });
    await call("PUT", "/settings", { name: "Other", receipt_footer: null });
    expect(JSON.stringify((await call("GET", `/bills/${id}`)).body)).toBe(before);
    const summary = (await call("GET", "/bills")).body.find((b: { id: number }) => b.id === id);
    expect(summary).toMatchObject({ total_amount: "451.15", discount_total: "52.00", tax_total: "46.65", change_due: "48.85" });
  });

  it("refuses with clear statuses and writes nothing", async () => {
    const item = (await call("POST", "/items", { name: "Tea", unit_price: "100", stock_qty: "5" })).body;
    const before = await databaseChecksum(t.db.pool);
    const items = [{ item_id: item.id, quantity: 1 }];
    const short = await call("POST", "/bills", { items, payments: [{ method: "CASH", amount: "60" }] });
    expect([short.status, short.body.error]).toEqual([422, expect.objectContaining({ code: "PAYMENT_SHORT", amount_due: "100.00", paid: "60.00", remaining: "40.00" })]);
    const over = await call("POST", "/bills", { items, payments: [{ method: "CARD", amount: "150" }] });
    expect([over.status, over.body.error]).toEqual([422, expect.objectContaining({ code: "PAYMENT_EXCEEDS_DUE", payment_index: 0, method: "CARD", amount: "150.00", remaining: "100.00" })]);
    const moved = await call("POST", "/bills", { items, expected_total: "95.00" });
    expect([moved.status, moved.body.error]).toEqual([409, expect.objectContaining({ code: "TOTAL_CHANGED", expected_total: "95.00", total: "100.00" })]);
    const bad = await call("POST", "/bills", { items: [{ ...items[0], discount: { kind: "AMOUNT", value: "100.01" } }], bill_discount: { kind: "HALF", value: 1 }, expected_total: "x" });
    expect(bad.status).toBe(422);
    expect(bad.body.error.field_errors.map((f: { field: string }) => f.field)).toEqual(["bill_discount.kind"]);
    const bad2 = await call("POST", "/bills", { items: [{ ...items[0], discount: { kind: "AMOUNT", value: "100.01" } }], expected_total: "x", payments: [{ method: "OTHER", amount: "1" }] });
    expect(bad2.body.error.field_errors.map((f: { field: string; code: string }) => `${f.field} ${f.code}`)).toEqual([
      "payments[0].label REQUIRED",
      "expected_total INVALID_NUMBER",
    ]);
    expect(await databaseChecksum(t.db.pool)).toBe(before);
  });

  it("a request without payments (the original design's body) is a cash sale paid exactly", async () => {
    const item = (await call("POST", "/items", { name: "Rice", unit: "kg", unit_price: "160", stock_qty: "5" })).body;
    const res = await call("POST", "/bills", { customer_name: "Ali", store_name: "Utility Store #1", items: [{ item_id: item.id, quantity: 1.5 }] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ store_name: "Utility Store #1", subtotal: "240.00", total_amount: "240.00", discount_total: "0.00", tax_total: "0.00", change_due: "0.00" });
    expect(res.body.payments).toEqual([{ position: 1, method: "CASH", amount: "240.00", tendered: "240.00", change: "0.00", label: null, reference: null }]);
  });
});
