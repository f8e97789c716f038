// The shop's day in a real browser: the owner adds an item and corrects its
// price in /admin; the cashier finds it in /pos by typing, sells 1.5 kg and
// sees the invoice; /admin then shows the lower stock.
import { describe, expect, it } from "vitest";
import { useWebApp } from "./harness.ts";

const app = useWebApp();

describe("admin → POS → admin", () => {
  it("adds an item (with inline validation) and edits its price", async () => {
    const page = await app.newPage();
    await page.goto(`${app.url}/admin`);
    const form = page.getByRole("form", { name: "Add item" });
    await form.getByLabel("Name").fill("Test Basmati");
    await form.getByLabel("Category").selectOption("Grocery");
    await form.getByLabel("Unit", { exact: true }).fill("kg");
    await form.getByLabel("Unit price").fill("12,50");
    await form.getByLabel("Initial stock").fill("10");
    await form.getByLabel("SKU / barcode (optional)").fill("TB-001");
    await form.getByRole("button", { name: "Add item" }).click();

    // The API's ValidationError lands under the field it names.
    const priceError = form.locator(".field.has-error", { has: page.getByLabel("Unit price") }).locator(".field-error");
    await priceError.waitFor();
    expect(await priceError.textContent()).toMatch(/plain decimal number/);
    expect(await app.sql("SELECT 1 FROM items WHERE name = 'Test Basmati'")).toHaveLength(0);

    await form.getByLabel("Unit price").fill("200");
    await form.getByRole("button", { name: "Add item" }).click();
    const row = page.getByRole("row").filter({ hasText: "Test Basmati" });
    await row.waitFor();
    expect(await row.getByRole("cell").allTextContents()).toEqual(["Grocery", "kg", "200.00", "10", "Edit"]);

    await row.getByRole("button", { name: "Edit Test Basmati" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit Test Basmati" });
    await dialog.getByRole("form", { name: "Item details" }).getByLabel("Unit price").fill("220");
    await page.screenshot({ path: "/tmp/storelite-admin-edit.png" });
    await dialog.getByRole("button", { name: "Save changes" }).click();
    await dialog.waitFor({ state: "hidden" });
    await row.getByRole("cell", { name: "220.00" }).waitFor();
    const [item] = await app.sql<{ unit_price: string; stock_qty: string }>("SELECT unit_price, stock_qty FROM items WHERE name = 'Test Basmati'");
    expect(item).toEqual({ unit_price: "220.00", stock_qty: "10.000" });
    await page.screenshot({ path: "/tmp/storelite-admin.png" });
  });

  it("sells 1.5 kg at the POS, shows the invoice, and /admin shows the stock that is left", async () => {
    const page = await app.newPage();
    await page.goto(`${app.url}/pos`);
    const search = page.getByRole("combobox", { name: "Search or scan" });
    await search.waitFor();
    expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);

    await page.keyboard.type("basm");
    await page.getByRole("option", { name: /Test Basmati/ }).waitFor();
    await page.screenshot({ path: "/tmp/storelite-pos-search.png" });
    await page.keyboard.press("Enter");
    // A kg item: the quantity field takes the focus with "1" selected.
    const qty = page.getByLabel("Quantity of Test Basmati (kg)");
    await qty.waitFor();
    expect(await qty.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type("1.5");
    await page.keyboard.press("Enter");
    expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);

    const line = page.locator("table.cart tr", { hasText: "Test Basmati" });
    expect(await line.locator(".line-total").textContent()).toBe("330.00");
    expect(await page.getByTestId("cart-total").textContent()).toBe("330.00");
    // The stock shown already counts what is in the cart.
    await line.getByTestId("line-stock").filter({ hasText: "8.5 kg left" }).waitFor();

    await page.getByLabel("Store name").fill("Corner Store");
    await page.getByLabel("Customer (optional)").fill("Ali");
    await page.screenshot({ path: "/tmp/storelite-pos.png" });
    await page.getByRole("button", { name: "Pay (F2)" }).click();
    await page.getByRole("button", { name: "Complete sale" }).click();

    const invoice = page.getByRole("article", { name: /^Invoice \d+$/ });
    await invoice.waitFor();
    const billNo = Number(await invoice.getByTestId("bill-number").textContent());
    expect(await invoice.getByRole("heading").textContent()).toBe("Corner Store");
    expect(await invoice.getByTestId("invoice-total").textContent()).toBe("Rs\u00a0330.00");
    expect(await invoice.locator("tbody tr").allInnerTexts()).toEqual([expect.stringMatching(/Test Basmati\s+1\.5 kg\s+220\.00\s+330\.00/)]);

    const [bill] = await app.sql<{ total_amount: string; customer_name: string; store_name: string }>(
      "SELECT total_amount, customer_name, store_name FROM bills WHERE id = $1",
      [billNo],
    );
    expect(bill).toEqual({ total_amount: "330.00", customer_name: "Ali", store_name: "Corner Store" });

    await page.screenshot({ path: "/tmp/storelite-invoice.png" });
    await page.emulateMedia({ media: "print" });
    await page.screenshot({ path: "/tmp/storelite-invoice-print-receipt.png", fullPage: true });
    await page.emulateMedia({ media: "screen" });
    await page.getByLabel("Paper").selectOption("a4");
    await page.emulateMedia({ media: "print" });
    await page.screenshot({ path: "/tmp/storelite-invoice-print-a4.png", fullPage: true });
    await page.emulateMedia({ media: "screen" });

    // New Bill: an empty cart, search focused again.
    await page.getByRole("button", { name: "New Bill" }).click();
    await page.getByText("Search or scan an item to start the bill.").waitFor();

    const admin = await app.newPage();
    await admin.goto(`${app.url}/admin`);
    const row = admin.getByRole("row").filter({ hasText: "Test Basmati" });
    await row.waitFor();
    expect(await row.locator(".stock-value").textContent()).toBe("8.5");

    await admin.setViewportSize({ width: 820, height: 1180 }); // counter tablet
    await admin.screenshot({ path: "/tmp/storelite-admin-tablet.png" });

    // …and the bill is listed in /bills, opening the same invoice.
    await admin.goto(`${app.url}/bills`);
    await admin.getByRole("link", { name: `#${billNo}` }).waitFor();
    await admin.screenshot({ path: "/tmp/storelite-bills.png" });
    await admin.getByRole("link", { name: `#${billNo}` }).click();
    await admin.getByRole("article", { name: `Invoice ${billNo}` }).getByText("330.00").last().waitFor();
  });
});
