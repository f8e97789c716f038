// A complete sale over GraphQL (real HTTP, real PostgreSQL): settings and tax
// rates, previewBill = createBill to the cent, a bill with discounts, tax and
// two payments, every refusal as a typed union member, and old bills as before.
import { describe, expect, it } from "vitest";
import { databaseChecksum } from "../src/testing/checksum.ts";
import { useTestServer } from "../src/testing/fixtures.ts";

const api = useTestServer(10);

const ERRORS = `__typename ... on Error { message code } ... on ValidationError { fieldErrors { path code } }`;
const TOTALS = `subtotal discountTotal taxTotal cashRounding totalAmount changeDue
  billDiscount { kind value amount reason }
  taxBreakdown { name percent taxableBase tax }
  payments { position method amount tendered change label reference }
  lines { itemName sku unitPrice quantity lineTotal discount { kind value amount } lineDiscount billDiscountShare taxRateName taxRatePercent taxableAmount taxAmount chargedTotal }`;

async function gql(query: string, variables?: Record<string, unknown>) {
  const res = await api.graphql(query, variables);
  expect(res.errors).toBeUndefined();
  return res.data;
}

async function setUp() {
  const settings = await gql(`mutation { updateShopSettings(input: { name: "Ali Traders", address: "12 Mall Road", phone: "042-111", taxRegistrationNumber: "NTN-42", receiptFooter: "Thank you!", timeZone: "Asia/Karachi" }) { ${ERRORS} ... on UpdateShopSettingsSuccess { settings { name currency timeZone pricesIncludeTax taxRounding cashRounding cashierDiscountLimit } } } }`);
  expect(settings.updateShopSettings.settings).toEqual({
    name: "Ali Traders", currency: "PKR", timeZone: "Asia/Karachi", pricesIncludeTax: false, taxRounding: "PER_LINE", cashRounding: "0.00", cashierDiscountLimit: "10",
  });
  const rate = await gql(`mutation { createTaxRate(input: { name: "GST", percent: "17" }) { ${ERRORS} ... on CreateTaxRateSuccess { taxRate { id name percent isActive } } } }`);
  const gst = rate.createTaxRate.taxRate;
  const cat = await gql(`mutation { setCategoryTaxRate(category: "Grocery", taxRateId: ${gst.id}) { ${ERRORS} ... on SetCategoryTaxRateSuccess { categoryTaxRates { category taxRate { name } } } } }`);
  expect(cat.setCategoryTaxRate.categoryTaxRates).toEqual([{ category: "Grocery", taxRate: { name: "GST" } }]);
  const add = async (input: Record<string, unknown>) =>
    (await gql(`mutation($input: CreateItemInput!) { createItem(input: $input) { ... on CreateItemSuccess { item { id } } } }`, { input })).createItem.item.id as number;
  const sugar = await add({ name: "Sugar", category: "Grocery", unit: "kg", unitPrice: "160", stockQty: "20", sku: "SUG-1" });
  const soap = await add({ name: "Soap", category: "Beauty", unitPrice: "45.50", stockQty: "20" });
  return { gst, sugar, soap };
}

describe("a complete sale over GraphQL", () => {
  it("previews and sells a bill with discounts, tax and two payments; the reprint is byte-identical after price and rate changes", async () => {
    const { gst, sugar, soap } = await setUp();
    const input = {
      customerName: "Ali",
      lines: [
        { itemId: sugar, quantity: "2", discount: { kind: "PERCENT", value: "10" } },
        { itemId: soap, quantity: 3 },
      ],
      billDiscount: { kind: "AMOUNT", value: "20", reason: "regular" },
      payments: [
        { method: "CARD", amount: "300.00", reference: "4242" },
        { method: "CASH", amount: "200" },
      ],
      idempotencyKey: "gql-sale-1",
    };
    const preview = (await gql(`query($input: CreateBillInput!) { previewBill(input: $input) { ${ERRORS} ... on PreviewBillSuccess { preview { ${TOTALS} discountApprovalRequired discountPercent } } } }`, { input })).previewBill.preview;
    expect(preview).toMatchObject({ subtotal: "456.50", discountTotal: "52.00", taxTotal: "46.65", totalAmount: "451.15", changeDue: "48.85", discountApprovalRequired: false, discountPercent: "11.40" });

    const sold = await gql(`mutation($input: CreateBillInput!) { createBill(input: $input) { ${ERRORS} ... on CreateBillSuccess { replayed bill { id storeName shop { name address phone taxRegistrationNumber currency receiptFooter timeZone } ${TOTALS} } } } }`, {
      input: { ...input, expectedTotal: preview.totalAmount },
    });
    const bill = sold.createBill.bill;
    const { id, storeName, shop, ...totals } = bill;
    expect(totals).toEqual(preview === null ? null : Object.fromEntries(Object.keys(totals).map((k) => [k, preview[k]])));
    expect(bill.payments).toEqual([
      { position: 1, method: "CARD", amount: "300.00", tendered: null, change: "0.00", label: null, reference: "4242" },
      { position: 2, method: "CASH", amount: "151.15", tendered: "200.00", change: "48.85", label: null, reference: null },
    ]);
    expect(bill.taxBreakdown).toEqual([{ name: "GST", percent: "17", taxableBase: "274.43", tax: "46.65" }]);
    expect(bill.lines[0]).toMatchObject({ sku: "SUG-1", discount: { kind: "PERCENT", value: "10.000", amount: "32.00" }, taxRateName: "GST", taxRatePercent: "17", chargedTotal: "321.08" });
    expect(shop).toEqual({ name: "Ali Traders", address: "12 Mall Road", phone: "042-111", taxRegistrationNumber: "NTN-42", currency: "PKR", receiptFooter: "Thank you!", timeZone: "Asia/Karachi" });
    expect(storeName).toBe("Ali Traders");

    const reprint = `{ bill(id: ${id}) { id storeName shop { name address receiptFooter } ${TOTALS} } }`;
    const before = JSON.stringify(await gql(reprint));
    await gql(`mutation { updateItem(id: ${sugar}, input: { unitPrice: "999", name: "Sugar fine" }) { __typename } }`);
    await gql(`mutation { updateTaxRate(id: ${gst.id}, input: { percent: "18" }) { __typename } }`);
    await gql(`mutation { updateShopSettings(input: { name: "Other", pricesIncludeTax: true, receiptFooter: null }) { __typename } }`);
    expect(JSON.stringify(await gql(reprint))).toBe(before);
    await gql(`mutation { updateShopSettings(input: { pricesIncludeTax: false }) { __typename } }`);

    const replay = await gql(`mutation($input: CreateBillInput!) { createBill(input: $input) { ${ERRORS} ... on CreateBillSuccess { replayed bill { id } } } }`, { input: { ...input, expectedTotal: preview.totalAmount } });
    expect(replay.createBill).toEqual({ __typename: "CreateBillSuccess", replayed: true, bill: { id } });
  });

  it("every refusal is a typed result and nothing is written", async () => {
    const soap = (await gql(`mutation { createItem(input: { name: "Soap two", unitPrice: "100", stockQty: 5 }) { ... on CreateItemSuccess { item { id } } } }`)).createItem.item.id;
    const before = await databaseChecksum(api.db.pool);
    const sell = async (extra: Record<string, unknown>, fields = "") =>
      (await gql(`mutation($input: CreateBillInput!) { createBill(input: $input) { ${ERRORS} ${fields} } }`, { input: { lines: [{ itemId: soap, quantity: 1 }], ...extra } })).createBill;
    expect(await sell({ payments: [{ method: "CASH", amount: "50" }] }, "... on PaymentShortError { amountDue paid remaining }")).toMatchObject({
      __typename: "PaymentShortError", amountDue: "100.00", paid: "50.00", remaining: "50.00",
    });
    expect(await sell({ payments: [{ method: "CARD", amount: "120" }] }, "... on PaymentExceedsDueError { paymentIndex method amount remaining }")).toMatchObject({
      __typename: "PaymentExceedsDueError", paymentIndex: 0, method: "CARD", amount: "120.00", remaining: "100.00",
    });
    expect(await sell({ payments: [{ method: "CASH", amount: "150" }, { method: "CARD", amount: "1" }] }, "... on PaymentNotNeededError { paymentIndex }")).toMatchObject({
      __typename: "PaymentNotNeededError", paymentIndex: 1,
    });
    expect(await sell({ expectedTotal: "90.00" }, "... on TotalChangedError { expectedTotal total }")).toMatchObject({ __typename: "TotalChangedError", expectedTotal: "90.00", total: "100.00" });
    expect(await sell({ billDiscount: { kind: "AMOUNT", value: "101" } })).toMatchObject({ __typename: "ValidationError", fieldErrors: [{ path: ["billDiscount"], code: "DISCOUNT_TOO_LARGE" }] });
    expect(await sell({ payments: [{ method: "OTHER", amount: "100" }] })).toMatchObject({ __typename: "ValidationError", fieldErrors: [{ path: ["payments", "0", "label"], code: "REQUIRED" }] });
    expect(await databaseChecksum(api.db.pool)).toBe(before);
    const denied = await api.graphql(`mutation { createTaxRate(input: { name: "Bad", percent: "100.5" }) { ${ERRORS} } }`);
    expect(denied.data.createTaxRate).toMatchObject({ __typename: "ValidationError", fieldErrors: [{ path: ["percent"], code: "TOO_LARGE" }] });
  });

  it("a bill written before this change reads exactly as before", async () => {
    const item = (await gql(`mutation { createItem(input: { name: "Old tea", unitPrice: "80", stockQty: 5 }) { ... on CreateItemSuccess { item { id } } } }`)).createItem.item.id;
    // A bill as the previous createBill wrote it, with the two line columns the migration backfills from line_total.
    const { rows } = await api.db.pool.query<{ id: number }>(
      "INSERT INTO bills (customer_name, store_name, subtotal, total_amount) VALUES ('Old', NULL, 120.00, 120.00) RETURNING id",
    );
    const billId = rows[0]!.id;
    await api.db.pool.query("INSERT INTO bill_items (bill_id, item_id, item_name, unit, unit_price, quantity, line_total, taxable_amount, charged_total) VALUES ($1, $2, 'Old tea', 'piece', 80, 1.5, 120.00, 120.00, 120.00)", [billId, item]);
    const old = (await gql(`{ bill(id: ${billId}) { customerName storeName shop { name } ${TOTALS} } }`)).bill;
    expect(old).toEqual({
      customerName: "Old", storeName: null, shop: null, subtotal: "120.00", discountTotal: "0.00", taxTotal: "0.00", cashRounding: "0.00", totalAmount: "120.00", changeDue: "0.00",
      billDiscount: null, taxBreakdown: [], payments: [],
      lines: [{ itemName: "Old tea", sku: null, unitPrice: "80.00", quantity: "1.500", lineTotal: "120.00", discount: null, lineDiscount: "0.00", billDiscountShare: "0.00", taxRateName: null, taxRatePercent: "0", taxableAmount: "120.00", taxAmount: "0.00", chargedTotal: "120.00" }],
    });
  });
});
