// Catalogue import and export over REST against the real server: peers' own
// export layouts (OpenSourcePOS, Loyverse) import with a column mapping, the
// export imports back to no change, and a streamed upload over the cap is
// refused with nothing written.
import { describe, expect, it } from "vitest";
import { databaseChecksum } from "../src/testing/checksum.ts";
import { useTestServer } from "../src/testing/fixtures.ts";

const t = useTestServer();

async function upload(csv: string | Uint8Array, query = "") {
  const res = await t.fetch(`/imports${query}`, { method: "POST", headers: { "content-type": "text/csv" }, body: csv });
  return { status: res.status, body: (await res.json()) as any };
}
const post = async (path: string) => {
  const res = await t.fetch(path, { method: "POST" });
  return { status: res.status, body: (await res.json()) as any };
};
const get = async (path: string) => (await t.fetch(path)).json() as Promise<any>;

describe("peers' exports", () => {
  it("imports an OpenSourcePOS items CSV (its header, BOM and stock-location column) with a mapping", async () => {
    // The header OSPOS writes for its items import/export, one stock location "Main Store".
    const header =
      '\uFEFFId,Barcode,"Item Name",Category,"Supplier ID","Cost Price","Unit Price","Tax 1 Name","Tax 1 Percent","Tax 2 Name","Tax 2 Percent","Reorder Level",Description,"Allow Alt Description","Item has Serial Number",Image,HSN,"location_Main Store"';
    const rows = [
      '12,8901030865278,"Surf Excel 1kg",Utilities,,180,215.50,GST,18,,,5,"Detergent, blue",0,0,,3402,24',
      "13,8901725133979,Aashirvaad Atta 5kg,Grocery,,240,285,,,,,2,,0,0,,1101,10.5",
    ];
    const mapping = encodeURIComponent(JSON.stringify({ Id: "", "location_Main Store": "stock_qty" }));
    const { status, body: job } = await upload(`${header}\r\n${rows.join("\r\n")}\r\n`, `?mapping=${mapping}&file_name=ospos.csv`);
    expect(status, JSON.stringify(job)).toBe(201);
    expect(job.columns.filter((c: any) => c.field)).toEqual([
      { header: "Barcode", field: "sku" },
      { header: "Item Name", field: "name" },
      { header: "Category", field: "category" },
      { header: "Unit Price", field: "unit_price" },
      { header: "location_Main Store", field: "stock_qty" },
    ]);
    expect(job.counts).toMatchObject({ create: 2, error: 0 });
    expect((await post(`/imports/${job.id}/apply`)).status).toBe(200);
    const items = await get("/items?name=8901030865278");
    expect(items.map((i: any) => [i.name, i.category, i.unit_price, i.stock_qty])).toEqual([["Surf Excel 1kg", "Utilities", "215.50", "24.000"]]);
  });

  it("imports a Loyverse items export (SKU and Barcode columns, [store] suffixes) when one of the two codes is mapped away", async () => {
    const header =
      "Handle,SKU,Name,Category,Description,Sold by weight,Option 1 name,Option 1 value,Option 2 name,Option 2 value,Option 3 name,Option 3 value,Cost,Barcode,SKU of included item,Quantity of included item,Track stock,Available for sale [Main],Price [Main],In stock [Main],Low stock [Main]";
    const csv = `${header}\ncoke,LV-10001,Coca-Cola 330ml,Drinks,,N,,,,,,,0.80,5449000000996,,,Y,Y,1.40,24,5\nbananas,LV-10002,Bananas,Produce,,Y,,,,,,,0.40,,,,Y,Y,0.89,12.5,2\n`;
    const refused = await upload(csv);
    expect(refused.status).toBe(422);
    expect(refused.body.error.reason).toBe("DUPLICATE_COLUMN");
    expect(refused.body.error.message).toMatch(/"SKU" and "Barcode" all mean sku/);

    const { status, body: job } = await upload(csv, `?mapping=${encodeURIComponent(JSON.stringify({ Barcode: "" }))}`);
    expect(status).toBe(201);
    expect(job.columns.filter((c: any) => c.field).map((c: any) => `${c.header}=${c.field}`)).toEqual([
      "SKU=sku",
      "Name=name",
      "Category=category",
      "Price [Main]=unit_price",
      "In stock [Main]=stock_qty",
    ]);
    const page = await get(`/imports/${job.id}`);
    expect(page.rows.map((r: any) => [r.row, r.action, r.diff.unit_price.to, r.diff.stock_qty.to])).toEqual([
      [2, "create", "1.40", "24.000"],
      [3, "create", "0.89", "12.500"],
    ]);
  });
});

describe("export and import over HTTP", () => {
  it("GET /items/export.csv imports back to no change", async () => {
    await t.fetch(`/items`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "+Plus", unit_price: "5", sku: "RT-1" }) });
    const res = await t.fetch(`/items/export.csv`);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="storelite-items-\d{4}-\d{2}-\d{2}\.csv"$/);
    const csv = await res.text();
    expect(csv).toContain(",RT-1,'+Plus,Other,piece,5.00,0.000,true\r\n");
    const before = await databaseChecksum(t.db.pool);
    const { body: job } = await upload(csv);
    expect(job.counts.unchanged).toBe(job.rows_total);
    expect((await post(`/imports/${job.id}/apply`)).status).toBe(200);
    expect(await databaseChecksum(t.db.pool)).toBe(before);
  });

  it("refuses a streamed upload over the cap (no Content-Length) with nothing written", async () => {
    const before = await databaseChecksum(t.db.pool);
    const chunk = new TextEncoder().encode(`A,${"B".repeat(60)},1\n`.repeat(5_000));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode("sku,name,price\n"));
      },
      pull(c) {
        if (sent++ > 10) c.close();
        else c.enqueue(chunk);
      },
    });
    const res = await t.fetch(`/imports`, { method: "POST", headers: { "content-type": "text/csv" }, body, duplex: "half" } as RequestInit);
    expect(res.status).toBe(413);
    const json = (await res.json()) as any;
    expect(json.error.reason).toBe("FILE_TOO_LARGE");
    expect(await databaseChecksum(t.db.pool)).toBe(before);
  });

  it("a job with errors is refused as a whole, then applied without its error rows on request; undo reports later sales", async () => {
    const { body: job } = await upload("sku,name,price,stock\nAON-1,Good,10,5\nAON-2,Bad,-1,5\n");
    expect(job.counts).toMatchObject({ create: 1, error: 1 });
    const refused = await post(`/imports/${job.id}/apply`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.first_errors).toEqual(['Row 3, column "price" ("-1"): must not be negative']);
    expect((await post(`/imports/${job.id}/apply?skip_errors=true`)).status).toBe(200);
    const [item] = await get("/items?name=AON-1");
    await t.fetch(`/bills`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ items: [{ item_id: item.id, quantity: 1 }] }) });
    const undo = await post(`/imports/${job.id}/undo`);
    expect(undo.status).toBe(409);
    expect(undo.body.error.conflicts).toEqual([{ item_id: item.id, item_name: "Good", row: 2, changed: ["stock_qty", "stock movements"] }]);
    expect(undo.body.error.undoable).toBe(0);
  });
});
