// /reports and /admin's alerts in headless Chromium on the real API: charts
// render (offline: the browser may not leave the servers), the figures match
// SQL, a CSV downloads with formula-looking text neutralised; the admin badge
// counts the open low-stock alerts.
import fs from "node:fs";
import { print } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { CreateBillDocument } from "../src/gql/graphql.ts";
import { useWebApp } from "./harness.ts";
import { createItem } from "./ops.ts";

const app = useWebApp();

beforeAll(async () => {
  const soap = await createItem(app, { name: "=Report Soap", category: "Beauty", unit: "piece", unitPrice: "120", stockQty: "10", reorderPoint: "8", unitCost: "70" });
  const rice = await createItem(app, { name: "Report Rice", category: "Grocery", unit: "kg", unitPrice: "300", stockQty: "50", unitCost: "250" });
  const res = await app.api.graphql(print(CreateBillDocument), { input: { lines: [{ itemId: soap, quantity: 3 }, { itemId: rice, quantity: "1.5" }] } });
  expect(res.data.createBill.__typename).toBe("CreateBillSuccess");
});

describe("/reports", () => {
  it("shows this month's figures with charts and tables, and downloads a safe CSV", async () => {
    const page = await app.newPage();
    await page.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => route.abort()); // nothing leaves the machine
    await page.goto(`${app.url}/reports`);
    await page.getByTestId("totals").waitFor();
    const [sql] = await app.sql<{ n: number; net: string }>("SELECT count(*)::int AS n, sum(total_amount)::text AS net FROM bills");
    expect(await page.getByTestId("totals").textContent()).toContain(`${sql!.n} bills · net ${sql!.net}`);
    // Recharts drew SVG bars for the summary, and for the categories.
    await page.locator(".recharts-surface").first().waitFor();
    expect(await page.locator(".recharts-bar-rectangle").count()).toBeGreaterThan(0);
    const categoryChart = page.locator("section", { has: page.getByRole("heading", { name: "Revenue by category" }) }).locator(".recharts-bar-rectangle");
    await categoryChart.nth(1).waitFor({ state: "attached" });
    expect(await categoryChart.count()).toBe(2);
    const cats = await page.locator('table[data-report^="revenue-by-category"] tbody tr').allTextContents();
    expect(cats).toEqual(["Grocery450.0055.61375.0075.00", "Beauty360.0044.41210.00150.00"]);

    await page.getByRole("button", { name: "Yesterday" }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="totals"]')?.textContent?.startsWith("0 bills"));

    await page.getByRole("button", { name: "This month" }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="totals"]')?.textContent?.startsWith("1 bills"));
    const section = page.locator("section", { has: page.getByRole("heading", { name: "Top items by revenue" }) });
    const [download] = await Promise.all([page.waitForEvent("download"), section.getByRole("button", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^top-items-revenue_\d{4}-\d{2}-01_\d{4}-\d{2}-01\.csv$/);
    const csv = fs.readFileSync((await download.path())!, "utf8");
    expect(csv).toBe('\uFEFF"Item","Category","Quantity","Unit","Revenue","Bills"\r\n"Report Rice","Grocery","1.5","kg","450.00","1"\r\n"\'=Report Soap","Beauty","3","piece","360.00","1"\r\n');
  });

  it("shows payments by method, sales per cashier and tax by rate as SQL sums them, with a CSV of each", async () => {
    const page = await app.newPage();
    await page.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => route.abort());
    await page.goto(`${app.url}/reports`);
    await page.locator('table[data-report^="payments-by-method"] tbody tr').first().waitFor();
    const [cash] = await app.sql<{ n: number; amount: string }>("SELECT count(*)::int AS n, sum(amount)::text AS amount FROM bill_payments WHERE method = 'CASH'");
    const payments = await page.locator('table[data-report^="payments-by-method"] tbody tr').allTextContents();
    expect(payments).toEqual([`Cash${cash!.n}${cash!.n}${cash!.amount}0.00${cash!.amount}`, "Card000.000.000.00", "Mobile000.000.000.00", "Other000.000.000.00"]);
    const section = page.locator("section", { has: page.getByRole("heading", { name: "Sales per cashier" }) });
    await section.locator(".recharts-bar-rectangle").first().waitFor({ state: "attached" });
    const [who] = await app.sql<{ name: string; bills: number; net: string }>(
      "SELECT coalesce(s.display_name, 'No cashier recorded') AS name, count(*)::int AS bills, sum(b.total_amount - b.tax_total)::text AS net FROM bills b LEFT JOIN staff s ON s.id = b.cashier_id GROUP BY 1",
    );
    expect((await section.locator("tbody tr").first().textContent())?.startsWith(`${who!.name}${who!.bills}${who!.net}`)).toBe(true);
    const tax = page.locator("section", { has: page.getByRole("heading", { name: /^Tax by rate/ }) });
    const [download] = await Promise.all([page.waitForEvent("download"), tax.getByRole("button", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^tax-by-rate_\d{4}-\d{2}-01_\d{4}-\d{2}-01\.csv$/);
    const csv = fs.readFileSync((await download.path())!, "utf8");
    expect(csv).toBe('\uFEFF"Rate","Percent","Bills","Taxable","Tax","Refunded tax"\r\n"No tax","0","1","810.00","0.00","0.00"\r\n');
  });

  it("is in the navigation; /admin's badge counts the open alerts and lists them", async () => {
    const page = await app.newPage();
    await page.goto(`${app.url}/admin`);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reports" }).waitFor();
    const [open] = await app.sql<{ n: number }>("SELECT count(*)::int AS n FROM stock_alerts WHERE cleared_at IS NULL");
    expect(open!.n).toBe(1);
    await page.waitForFunction(() => document.querySelector('[data-testid="alert-count"]')?.textContent === "1");
    await page.getByRole("button", { name: /1 low-stock alert/ }).click();
    await page.getByText("=Report Soap is at 7 piece (reorder at 8)").waitFor();
    // The item row is marked low by its own reorder point (7 ≤ 8), not by a fixed 5.
    expect(await page.locator("tr", { hasText: "=Report Soap" }).locator(".badge-low").textContent()).toBe("Low");
  });
});
