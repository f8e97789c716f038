// /admin/import in a real browser on the real API: choose a file, map a column
// by hand, read the dry-run table (diffs, errors, warnings), apply with the
// progress bar, undo; and the Export CSV link.
import { describe, expect, it } from "vitest";
import { useWebApp } from "./harness.ts";
import { createItem } from "./ops.ts";

const app = useWebApp();

describe("/admin/import", () => {
  it("dry-runs a file with a mapping, applies it with a progress bar and undoes it", async () => {
    await createItem(app, { name: "Green Tea", unit: "piece", unitPrice: "10", sku: "WEB-1", stockQty: "4" });
    const lines = ["Code;Product;Preis;On hand;Colour", "WEB-1;Green Tea;25;6;green", "WEB-BAD;Bad price;1,234.50;1;red"];
    for (let i = 1; i <= 3000; i++) lines.push(`WEB-N${i};Imported ${i};${(i % 90) + 1}.50;${i % 7};blue`);
    const page = await app.newPage();
    await page.goto(`${app.url}/admin`);
    await page.getByRole("link", { name: "Import" }).click();
    await page.getByRole("heading", { name: "Import items" }).waitFor();

    await page.getByLabel("CSV file").setInputFiles({ name: "shop.csv", mimeType: "text/csv", buffer: Buffer.from(lines.join("\r\n") + "\r\n") });
    // The mapping step lists the file's columns; "Preis" is not a header the importer knows.
    await page.getByLabel("Field for Preis").selectOption("unit_price");
    await page.getByLabel("Field for Colour").selectOption("");
    await page.getByRole("button", { name: "Dry run" }).click();
    await page.getByRole("heading", { name: /^Dry run — import \d+$/ }).waitFor();
    expect(await page.getByLabel("Counts").textContent()).toBe(
      "3002 rows: 3000 to create, 1 to update, 0 unchanged, 0 skipped, 1 with errors, 1 with warnings.",
    );
    const update = page.locator("table.dry-run tr[data-row='2']");
    expect(await update.locator(".action").textContent()).toBe("update");
    expect(await update.locator(".changes").textContent()).toBe("unit_price: 10.00 → 25.00stock_qty: 4.000 → 6.000");
    expect(await update.locator(".warning").textContent()).toBe("price changes by 150% (10.00 → 25.00)");
    const bad = page.locator("table.dry-run tr[data-row='3']");
    expect(await bad.locator(".action").textContent()).toBe("error");
    expect(await bad.locator(".error").textContent()).toBe('Preis "1,234.50": has a thousands separator (,); write the number without it, e.g. 1234.50');
    expect(await page.locator("table.dry-run tbody tr").count()).toBe(200); // a page at a time
    expect((await app.sql<{ n: number }>("SELECT count(*)::int AS n FROM items"))[0]!.n).toBe(1); // nothing written

    // All or nothing: applying needs the error row left out explicitly.
    const applyButton = page.getByRole("button", { name: "Apply 3001 changes" });
    expect(await applyButton.isDisabled()).toBe(true);
    await page.getByLabel("Leave the 1 error rows out").check();
    // Record what the progress bar shows while the apply runs.
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { seen: number[] }).seen = seen;
      new MutationObserver(() => {
        const bar = document.querySelector<HTMLProgressElement>("progress[aria-label='Import progress']");
        if (bar && seen.at(-1) !== bar.value) seen.push(bar.value);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await applyButton.click();
    await page.getByRole("heading", { name: /^Applied — import \d+$/ }).waitFor({ timeout: 60_000 });
    const bar = page.getByLabel("Import progress");
    expect(await bar.getAttribute("max")).toBe("3001");
    expect(await bar.getAttribute("value")).toBe("3001");
    const seen = await page.evaluate(() => (window as unknown as { seen: number[] }).seen);
    expect(seen.at(-1)).toBe(3001);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen); // it only moves forward
    await page.screenshot({ path: "/tmp/storelite-import.png", fullPage: false });

    const [tea] = await app.sql<{ unit_price: string; stock_qty: string }>("SELECT unit_price::text, stock_qty::text FROM items WHERE sku = 'WEB-1'");
    expect(tea).toEqual({ unit_price: "25.00", stock_qty: "6.000" });
    expect((await app.sql<{ n: number }>("SELECT count(*)::int AS n FROM items"))[0]!.n).toBe(3001);

    await page.getByRole("button", { name: "Undo import" }).click();
    await page.getByText("Undone: 3001 rows reverted.").waitFor({ timeout: 60_000 });
    expect((await app.sql<{ n: number }>("SELECT count(*)::int AS n FROM items"))[0]!.n).toBe(1);
    const [back] = await app.sql("SELECT unit_price::text, stock_qty::text FROM items WHERE sku = 'WEB-1'");
    expect(back).toEqual({ unit_price: "10.00", stock_qty: "4.000" });
  });

  it("shows why a file is refused, and exports the catalogue as CSV", async () => {
    const id = await createItem(app, { name: "=Formula Soap", category: "Beauty", unit: "piece", unitPrice: "55", sku: "WEB-X", stockQty: "2" });
    const page = await app.newPage();
    await page.goto(`${app.url}/admin/import`);
    // Dropped on the drop zone, as a person would drag it there.
    const dropped = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(["PK\u0003\u0004zip"], "items.xlsx"));
      return dt;
    });
    await page.locator(".dropzone").dispatchEvent("drop", { dataTransfer: dropped });
    await page.getByText("items.xlsx").waitFor();
    await page.getByRole("button", { name: "Dry run" }).click();
    const alert = page.locator("p.status.error[role=alert]"); // (Next.js has a route announcer with that role too)
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Excel\/OpenDocument workbook .* "CSV UTF-8 \(comma delimited\)"/);

    const href = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
    // Through the page's own session, as the link's download would go.
    const res = await page.request.get(`${app.url}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toBe("text/csv; charset=utf-8");
    const bytes = Buffer.from(await res.body());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the byte-order mark Excel needs
    const csv = bytes.subarray(3).toString("utf8");
    expect(csv.startsWith("id,sku,name,category,unit,unit_price,stock_qty,active\r\n")).toBe(true);
    expect(csv).toContain(`\r\n${id},WEB-X,'=Formula Soap,Beauty,piece,55.00,2.000,true\r\n`);
  });
});
