// The POS sale in Chromium: the cart's totals come from the same totals module
// the server runs (random carts, compared with previewBill), and a bill with
// line and bill discounts, tax and two payments prints what the server stored.
import { print } from "graphql";
import { describe, expect, it } from "vitest";
import { useWebApp } from "./harness.ts";
import { createItem } from "./ops.ts";

const app = useWebApp();

async function gql(query: string, variables?: Record<string, unknown>) {
  const res = await app.api.graphql<any>(query, variables);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data;
}

async function setUpShop() {
  await gql(`mutation { updateShopSettings(input: { name: "Ali Traders", address: "12 Mall Road, Lahore", receiptFooter: "Goods once sold are not returned", cashierDiscountLimit: "50" }) { __typename } }`);
  const gst = (await gql(`mutation { createTaxRate(input: { name: "GST", percent: "17" }) { ... on CreateTaxRateSuccess { taxRate { id name percent } } } }`)).createTaxRate.taxRate;
  const low = (await gql(`mutation { createTaxRate(input: { name: "Reduced", percent: "5.5" }) { ... on CreateTaxRateSuccess { taxRate { id name percent } } } }`)).createTaxRate.taxRate;
  await gql(`mutation { setCategoryTaxRate(category: "Grocery", taxRateId: ${gst.id}) { __typename } }`);
  await gql(`mutation { setCategoryTaxRate(category: "Dairy", taxRateId: ${low.id}) { __typename } }`);
  const items = [
    { id: await createItem(app, { name: "Sugar", category: "Grocery", unit: "kg", unitPrice: "160", stockQty: "500" }), unitPrice: "160.00", unit: "kg", name: "Sugar", taxRate: gst },
    { id: await createItem(app, { name: "Milk", category: "Dairy", unit: "liter", unitPrice: "219.99", stockQty: "500" }), unitPrice: "219.99", unit: "liter", name: "Milk", taxRate: low },
    { id: await createItem(app, { name: "Soap", category: "Beauty", unit: "piece", unitPrice: "45.50", stockQty: "500" }), unitPrice: "45.50", unit: "piece", name: "Soap", taxRate: null },
    { id: await createItem(app, { name: "Tea", category: "Grocery", unit: "piece", unitPrice: "0.35", stockQty: "500" }), unitPrice: "0.35", unit: "piece", name: "Tea", taxRate: gst },
  ];
  return { items };
}

const PREVIEW = `query($input: CreateBillInput!) { previewBill(input: $input) { __typename ... on PreviewBillSuccess { preview { subtotal totalAmount taxTotal discountTotal } } ... on Error { message } } }`;

// A small deterministic generator: the same carts every run.
function* randoms(seed: number) {
  let x = seed;
  for (;;) {
    x = (x * 1103515245 + 12345) % 2147483648;
    yield x / 2147483648;
  }
}

describe("POS sale in Chromium", () => {
  it("random carts: the browser's total is the server's, to the cent, under every pricing rule", async () => {
    const { items } = await setUpShop();
    const page = await app.newPage();
    const r = randoms(42);
    const next = () => r.next().value as number;
    const rules = [
      { pricesIncludeTax: false, taxRounding: "PER_LINE" },
      { pricesIncludeTax: true, taxRounding: "PER_LINE" },
      { pricesIncludeTax: true, taxRounding: "PER_BILL_PER_RATE" },
      { pricesIncludeTax: false, taxRounding: "PER_BILL_PER_RATE" },
    ];
    for (let n = 0; n < 8; n++) {
      const rule = rules[n % rules.length]!;
      await gql(`mutation($input: UpdateShopSettingsInput!) { updateShopSettings(input: $input) { __typename } }`, { input: rule });
      const chosen = items.filter(() => next() < 0.7);
      const lines = (chosen.length ? chosen : items.slice(0, 1)).map((it) => ({
        item: it,
        quantity: (1 + Math.floor(next() * 5000) / 1000).toFixed(3),
        discountPercent: next() < 0.4 ? String(Math.floor(next() * 30) + 1) : "",
      }));
      const billDiscount = next() < 0.5 ? { kind: "PERCENT" as const, value: String(Math.floor(next() * 20) + 1) } : { kind: "AMOUNT" as const, value: (next() * 5).toFixed(2) };
      const cart = {
        lines: lines.map((l) => ({ itemId: l.item.id, name: l.item.name, unit: l.item.unit, unitPrice: l.item.unitPrice, quantity: l.quantity, taxRate: l.item.taxRate, discountPercent: l.discountPercent })),
        customerName: "",
        idempotencyKey: `pos-random-${n}`,
        billDiscount,
      };
      // The cart is put in storage from a same-origin page that runs no POS: a
      // mounted POS saves its own cart and could overwrite this one before a reload.
      await page.goto(`${app.url}/icon.svg`);
      // A saved cart belongs to whoever made it: this one is the signed-in owner's.
      const owner = String((await app.api.as("OWNER")).staff!.id);
      await page.evaluate(([c, who]) => {
        localStorage.setItem("storelite.pos.cart", c!);
        localStorage.setItem("storelite.pos.cartOwner", who!);
      }, [JSON.stringify(cart), owner]);
      await page.goto(`${app.url}/pos`);
      const server = (
        await gql(PREVIEW, {
          input: {
            lines: lines.map((l) => ({ itemId: l.item.id, quantity: l.quantity, ...(l.discountPercent ? { discount: { kind: "PERCENT", value: l.discountPercent } } : {}) })),
            billDiscount: Number(billDiscount.value) > 0 ? billDiscount : null,
          },
        })
      ).previewBill.preview;
      await page.getByTestId("cart-total").filter({ hasText: server.totalAmount }).waitFor({ timeout: 10_000 });
      expect(await page.getByTestId("cart-subtotal").textContent()).toBe(server.subtotal);
    }
    await gql(`mutation { updateShopSettings(input: { pricesIncludeTax: false, taxRounding: PER_LINE }) { __typename } }`);
  });

  it("sells a bill with a line discount, a bill discount, tax and card + cash; the receipt shows it all", async () => {
    // Its own pricing rules, whatever the test before left behind.
    await gql(`mutation { updateShopSettings(input: { pricesIncludeTax: false, taxRounding: PER_LINE, cashRounding: "0.00" }) { __typename } }`);
    const page = await app.newPage();
    await page.goto(`${app.url}/pos`);
    const search = page.getByRole("combobox", { name: "Search or scan" });
    await search.fill("Sugar");
    await page.getByRole("option", { name: /Sugar/ }).waitFor();
    await page.keyboard.press("Enter");
    await page.getByLabel("Quantity of Sugar (kg)").fill("2");
    await page.getByLabel("Discount % on Sugar").fill("10");
    await search.fill("Soap");
    await page.getByRole("option", { name: /Soap/ }).waitFor();
    await page.keyboard.press("Enter");
    await page.getByLabel("Quantity of Soap (piece)").fill("3");
    await page.getByRole("button", { name: "Bill discount kind" }).click(); // % → amount
    await page.getByLabel("Bill discount", { exact: true }).fill("20");
    // 320 − 32 = 288 and 136.50; 20 off shared 13.57 / 6.43; GST 17% on 274.43 = 46.65.
    await page.getByTestId("cart-total").filter({ hasText: "451.15" }).waitFor();
    expect(await page.getByTestId("cart-tax").textContent()).toBe("46.65");

    await page.keyboard.press("F2");
    await page.getByTestId("pay-due").filter({ hasText: "451.15" }).waitFor();
    await page.getByLabel("Card amount").fill("300");
    await page.getByLabel("Payment reference").fill("4242");
    await page.getByLabel("Cash tendered").fill("200");
    expect(await page.getByTestId("pay-change").textContent()).toBe("48.85");
    await page.getByLabel("Cash tendered").press("Enter");

    const invoice = page.getByRole("article", { name: /^Invoice \d+$/ });
    await invoice.waitFor();
    expect(await invoice.getByTestId("invoice-total").textContent()).toBe("Rs\u00a0451.15");
    expect(await invoice.getByTestId("invoice-change").textContent()).toBe("Rs\u00a048.85");
    const texts = async (id: string) => (await invoice.getByTestId(id).allTextContents()).map((t) => t.replace(/\u00a0/g, " "));
    expect(await texts("invoice-payment")).toEqual(["Card (4242)Rs 300.00", "CashRs 200.00"]);
    expect(await texts("invoice-tax")).toEqual(["GST 17% on 274.43Rs 46.65"]);
    expect(await invoice.getByTestId("invoice-shop").textContent()).toContain("12 Mall Road, Lahore");
    expect(await invoice.textContent()).toContain("Goods once sold are not returned");
    await page.screenshot({ path: "/tmp/storelite-pos-sale.png" });

    const [bill] = await app.sql<{ total_amount: string; change_due: string; n: string }>(
      "SELECT total_amount, change_due, (SELECT count(*) FROM bill_payments p WHERE p.bill_id = b.id) AS n FROM bills b ORDER BY id DESC LIMIT 1",
    );
    expect(bill).toEqual({ total_amount: "451.15", change_due: "48.85", n: "2" });
  });

  it("a price changed after the cart was totalled: nothing is charged, the cart takes the new price and the sale goes through at it", async () => {
    const id = await createItem(app, { name: "Ghee", category: "Beauty", unit: "kg", unitPrice: "500", stockQty: "10" });
    const page = await app.newPage();
    await page.goto(`${app.url}/pos`);
    await page.getByRole("combobox", { name: "Search or scan" }).fill("Ghee");
    await page.getByRole("option", { name: /Ghee/ }).waitFor();
    await page.keyboard.press("Enter");
    await page.getByTestId("cart-total").filter({ hasText: "500.00" }).waitFor();
    await gql(`mutation { updateItem(id: ${id}, input: { unitPrice: "520" }) { __typename } }`);
    await page.keyboard.press("F2");
    await page.getByRole("button", { name: "Complete sale" }).click();
    await page.getByRole("alert").filter({ hasText: "The server's total is 520.00" }).waitFor();
    expect(await app.sql("SELECT id FROM bill_items WHERE item_id = $1", [id])).toHaveLength(0);
    await page.getByTestId("cart-total").filter({ hasText: "520.00" }).waitFor();
    await page.keyboard.press("F2");
    await page.getByRole("button", { name: "Complete sale" }).click();
    const invoice = page.getByRole("article", { name: /^Invoice \d+$/ });
    await invoice.waitFor();
    expect(await invoice.getByTestId("invoice-total").textContent()).toBe("Rs\u00a0520.00");
  });
});
