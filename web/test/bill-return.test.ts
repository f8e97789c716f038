// Returns and voids from /bills/<n> in Chromium: a partial return of a
// discounted, taxed bill paid by card and cash (the refund shown is the
// server's, to the cent), and a cashier's void approved with a manager's PIN.
import { describe, expect, it } from "vitest";
import { TEST_PIN } from "@storelite/api/testing/fixtures";
import { useWebApp } from "./harness.ts";
import { createItem, pdfPageSize } from "./ops.ts";

const app = useWebApp();

async function gql(query: string, variables?: Record<string, unknown>, as?: "CASHIER" | "MANAGER") {
  const who = as ? await app.api.as(as) : app.api;
  const res = await who.graphql<any>(query, variables);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data;
}

const SELL = `mutation($input: CreateBillInput!) { createBill(input: $input) { __typename ... on CreateBillSuccess { bill { id lines { id itemName chargedTotal } } } ... on Error { message } } }`;
const PREVIEW = `query($input: CreateReturnInput!) { refundPreview(input: $input) { __typename ... on RefundPreviewSuccess { preview { refundTotal taxTotal payments { method amount } } } ... on Error { message } } }`;

describe("returns and voids on /bills/<n>", () => {
  it("a partial return of a discounted, taxed bill: the server's refund is shown, confirmed, and the slip and the bill show it", async () => {
    await gql(`mutation { updateShopSettings(input: { pricesIncludeTax: false, taxRounding: PER_LINE, cashRounding: "0.00" }) { __typename } }`);
    const gst = (await gql(`mutation { createTaxRate(input: { name: "GST", percent: "17" }) { ... on CreateTaxRateSuccess { taxRate { id } } } }`)).createTaxRate.taxRate;
    const sugar = await createItem(app, { name: "Return Sugar", category: "Grocery", unit: "kg", unitPrice: "160", stockQty: "50" });
    const soap = await createItem(app, { name: "Return Soap", category: "Beauty", unit: "piece", unitPrice: "45.50", stockQty: "50" });
    await gql(`mutation { setItemTaxRate(itemId: ${sugar}, taxRateId: ${gst.id}) { __typename } }`);
    const sale = await gql(SELL, {
      input: {
        customerName: "Ali",
        lines: [
          { itemId: sugar, quantity: "2", discount: { kind: "PERCENT", value: "10" } },
          { itemId: soap, quantity: "3" },
        ],
        billDiscount: { kind: "AMOUNT", value: "20" },
        payments: [{ method: "CARD", amount: "300.00" }, { method: "CASH", amount: "200" }],
      },
    });
    const bill = sale.createBill.bill;
    const sugarLine = bill.lines.find((l: { itemName: string }) => l.itemName === "Return Sugar");
    const soapLine = bill.lines.find((l: { itemName: string }) => l.itemName === "Return Soap");
    // What the server says 1 kg of sugar and 1 damaged soap refund (read independently of the page).
    const expected = (
      await gql(PREVIEW, {
        input: { billId: bill.id, reason: "x", lines: [{ billItemId: sugarLine.id, quantity: "1" }, { billItemId: soapLine.id, quantity: "1", restock: false }] },
      })
    ).refundPreview.preview;
    expect(expected.refundTotal).toBe("203.90"); // 160.54 for the sugar (its 10% off, bill-discount share and tax) + 43.36 for one soap

    const page = await app.newPage(undefined, { as: "MANAGER" });
    await page.goto(`${app.url}/bills/${bill.id}`);
    await page.getByTestId("return-items").click();
    await page.getByTestId(`return-qty-${sugarLine.id}`).fill("1");
    await page.getByTestId(`return-qty-${soapLine.id}`).fill("1");
    await page.getByTestId(`return-restock-${soapLine.id}`).selectOption("damaged");
    await page.getByTestId("return-reason").fill("Customer changed mind");
    await page.getByTestId("preview-return").click();
    await page.getByTestId("refund-preview-total").filter({ hasText: expected.refundTotal }).waitFor();
    expect(await page.getByTestId("refund-preview").textContent()).toContain("Card 203.90");
    await page.getByTestId("confirm-return").click();
    const made = page.getByTestId("return-made");
    await made.waitFor();
    expect(await made.textContent()).toMatch(/^Return #\d+ made: 203\.90 refunded\.$/);
    // The bill page reloads with the return on it and what is left to return.
    await page.getByTestId("invoice-refunded").filter({ hasText: "203.90" }).waitFor();
    const slips = page.getByRole("region", { name: "Returns" }).getByTestId("return-slip");
    await slips.first().waitFor();
    expect(await slips.count()).toBe(1);
    expect((await slips.first().getByTestId("return-total").textContent())?.replace(/\u00a0/g, " ")).toBe("Rs 203.90");
    expect(await slips.first().textContent()).toContain("damaged");
    await page.screenshot({ path: "/tmp/storelite-bill-return.png", fullPage: true });

    // The customer's copy: the slip alone, under the shop's header, on the 80 mm roll, then on A4.
    // (window.print is replaced so headless Chromium records the call instead of opening a dialog.)
    await page.evaluate(() => { (window as unknown as { printed: number }).printed = 0; window.print = () => { (window as unknown as { printed: number }).printed++; }; });
    await page.getByTestId("print-made-slip").click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: "print" });
    const slip = slips.first();
    expect(await page.getByRole("article", { name: `Invoice ${bill.id}` }).isVisible()).toBe(false);
    expect(await page.getByTestId("print-slip").isVisible()).toBe(false);
    const shopName = (await gql(`{ shopSettings { name } }`)).shopSettings.name ?? "StoreLite";
    expect(await slip.getByRole("heading", { name: shopName }).isVisible()).toBe(true);
    expect(Math.round((await slip.boundingBox())!.width)).toBe(Math.round((72 / 25.4) * 96));
    expect(Math.round(pdfPageSize(await page.pdf({ preferCSSPageSize: true })).width)).toBe(227);
    await page.emulateMedia({ media: "screen" });
    await page.getByLabel("Paper").selectOption("a4");
    await slip.getByTestId("print-slip").click();
    await page.emulateMedia({ media: "print" });
    expect(await page.getByRole("article", { name: `Invoice ${bill.id}` }).isVisible()).toBe(false);
    const a4 = pdfPageSize(await page.pdf({ preferCSSPageSize: true }));
    expect([Math.round(a4.width), Math.round(a4.height)]).toEqual([595, 842]);
    // Printing ends the slip-only mode (afterprint): the invoice's own Print prints the invoice again.
    await page.getByRole("article", { name: `Invoice ${bill.id}` }).waitFor();
    await page.emulateMedia({ media: "screen" });

    const rows = await app.sql<{ refund_total: string; returned: string; sugar_stock: string; soap_stock: string }>(
      `SELECT r.refund_total, (SELECT string_agg(returned_qty::text, ',' ORDER BY id) FROM bill_items WHERE bill_id = $1) AS returned,
              (SELECT stock_qty::text FROM items WHERE id = $2) AS sugar_stock, (SELECT stock_qty::text FROM items WHERE id = $3) AS soap_stock
         FROM bill_returns r WHERE r.bill_id = $1`,
      [bill.id, sugar, soap],
    );
    expect(rows).toEqual([{ refund_total: "203.90", returned: "1.000,1.000", sugar_stock: "49.000", soap_stock: "47.000" }]);
    // A bill with returns offers no void.
    expect(await page.getByTestId("void-bill").count()).toBe(0);
  });

  it("a cashier voids their bill with a manager's PIN: it shows VOID, the stock is back", async () => {
    const milk = await createItem(app, { name: "Void Milk", unit: "liter", unitPrice: "150", stockQty: "10" });
    const bill = (await gql(SELL, { input: { lines: [{ itemId: milk, quantity: "2" }] } }, "CASHIER")).createBill.bill;
    const manager = (await app.api.as("MANAGER")).staff!;
    const page = await app.newPage(undefined, { as: "CASHIER" });
    await page.goto(`${app.url}/bills/${bill.id}`);
    await page.getByTestId("void-bill").click();
    await page.getByTestId("void-reason").fill("Rang up twice");
    await page.getByTestId("confirm-void").click();
    // Without the manager's PIN the server refuses, saying what it needs.
    await page.getByTestId("void-error").filter({ hasText: "manager's approval" }).waitFor();
    await page.getByTestId("approval-username").fill(manager.username);
    await page.getByTestId("approval-pin").fill(TEST_PIN);
    await page.getByTestId("confirm-void").click();
    const banner = page.getByTestId("bill-void");
    await banner.waitFor();
    expect(await banner.textContent()).toContain("Rang up twice");
    const [row] = await app.sql<{ stock_qty: string; void_approved_by: number }>(
      "SELECT (SELECT stock_qty::text FROM items WHERE id = $2) AS stock_qty, void_approved_by FROM bills WHERE id = $1",
      [bill.id, milk],
    );
    expect(row).toEqual({ stock_qty: "10.000", void_approved_by: manager.id });
    expect(await page.getByTestId("return-items").count()).toBe(0);
  });
});
