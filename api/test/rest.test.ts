// The REST compatibility layer end to end: real HTTP server, real PostgreSQL.
import { describe, expect, it } from "vitest";
import { listMovements } from "../src/domain/stock.ts";
import { databaseChecksum } from "../src/testing/checksum.ts";
import { useTestServer } from "../src/testing/fixtures.ts";

const t = useTestServer();

interface Res {
  status: number;
  headers: Headers;
  body: any;
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
  const res = await t.fetch(path, {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const fields = (r: Res) => (r.body.error.field_errors as { field: string; code: string }[]).map((f) => `${f.field}:${f.code}`);

async function newItem(body: Record<string, unknown>) {
  const r = await call("POST", "/items", body);
  expect(r.status).toBe(201);
  return r.body as { id: number; name: string; stock_qty: string; unit_price: string };
}

describe("REST /items", () => {
  it("creates an item: 201, Location, snake_case with decimal strings", async () => {
    const r = await call("POST", "/items", { name: " Sugar ", category: "Grocery", unit: "kg", unit_price: 160, stock_qty: "25.5", sku: "R-SUG" });
    expect(r.status).toBe(201);
    expect(r.headers.get("location")).toBe(`/items/${r.body.id}`);
    expect(r.body).toMatchObject({
      name: "Sugar",
      category: "Grocery",
      unit: "kg",
      unit_price: "160.00",
      stock_qty: "25.500",
      sku: "R-SUG",
      is_active: true,
    });
    expect(new Date(r.body.created_at).toISOString()).toBe(r.body.created_at);
    const got = await call("GET", r.headers.get("location")!);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(r.body);
  });

  it("names every bad field with 422, in the wire's names", async () => {
    const r = await call("POST", "/items", { name: "", unit_price: "-1", stock_qty: "1.2345", colour: "red" });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe("VALIDATION_FAILED");
    expect(fields(r)).toEqual(["colour:UNKNOWN_FIELD"]); // shape first: an unknown field is probably a typo
    const r2 = await call("POST", "/items", { name: "", unit_price: "-1", stock_qty: "1.2345" });
    expect(fields(r2)).toEqual(["name:REQUIRED", "unit_price:NEGATIVE", "stock_qty:TOO_MANY_DECIMALS"]);
    const r3 = await call("POST", "/items", { name: 5, unit_price: true });
    expect(fields(r3)).toEqual(["name:INVALID_TYPE", "unit_price:INVALID_TYPE"]);
    expect(r3.body.error.message).toContain("unit_price: must be a number or a decimal string");
    const r4 = await call("POST", "/items", [1, 2]);
    expect(fields(r4)).toEqual(["body:INVALID_TYPE"]);
  });

  it("lists and searches by name and category, A–Z, with pages linked", async () => {
    for (const name of ["Flour fine", "flour coarse", "Floor cleaner"]) await newItem({ name, category: "Listing", unit_price: "1" });
    const search = await call("GET", "/items?name=FLOUR&category=listing");
    expect(search.status).toBe(200);
    expect(search.body.map((i: { name: string }) => i.name)).toEqual(["flour coarse", "Flour fine"]);
    expect(search.headers.get("link")).toBeNull();

    const page1 = await call("GET", "/items?category=Listing&limit=2");
    expect(page1.body.map((i: { name: string }) => i.name)).toEqual(["Floor cleaner", "flour coarse"]);
    const next = /^<([^>]+)>; rel="next"$/.exec(page1.headers.get("link") ?? "")?.[1];
    expect(next).toMatch(/^\/items\?category=Listing&limit=2&after=/);
    const page2 = await call("GET", next!);
    expect(page2.body.map((i: { name: string }) => i.name)).toEqual(["Flour fine"]);
    expect(page2.headers.get("link")).toBeNull();

    expect(fields(await call("GET", "/items?limit=0"))).toEqual(["limit:INVALID_PAGE_SIZE"]);
    expect(fields(await call("GET", "/items?limit=ten"))).toEqual(["limit:INVALID_FORMAT"]);
    expect(fields(await call("GET", "/items?nme=flour"))).toEqual(["nme:UNKNOWN_FIELD"]);
    expect(fields(await call("GET", "/items?after=garbage"))).toEqual(["after:INVALID_CURSOR"]);
  });

  it("updates price and details; stock_qty is a count written to the ledger", async () => {
    const item = await newItem({ name: "Rice", unit: "kg", unit_price: "300", stock_qty: "10" });
    const r = await call("PUT", `/items/${item.id}`, { unit_price: "320.5", name: "Basmati Rice", category: "Grocery", sku: "R-RICE" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: "Basmati Rice", category: "Grocery", unit: "kg", unit_price: "320.50", stock_qty: "10.000", sku: "R-RICE" });

    const counted = await call("PUT", `/items/${item.id}`, { stock_qty: "7.250" });
    expect(counted.body.stock_qty).toBe("7.250");
    const moves = await listMovements(t.ctx(), item.id);
    expect(moves[0]).toMatchObject({ reason: "COUNT" });
    expect(moves[0]!.quantity.toFixed(3)).toBe("-2.750");

    const cleared = await call("PUT", `/items/${item.id}`, { sku: null });
    expect(cleared.body.sku).toBeNull();

    // A bad count leaves the other fields untouched too.
    const before = await databaseChecksum(t.db.pool);
    const bad = await call("PUT", `/items/${item.id}`, { unit_price: "1", stock_qty: "-1" });
    expect(bad.status).toBe(422);
    expect(fields(bad)).toEqual(["stock_qty:NEGATIVE"]);
    expect(fields(await call("PUT", `/items/${item.id}`, { price: "1" }))).toEqual(["price:UNKNOWN_FIELD"]);
    expect(await databaseChecksum(t.db.pool)).toBe(before);

    expect((await call("PUT", "/items/999999", { name: "x" })).status).toBe(404);
  });

  it("soft-deletes: DELETE deactivates, the item leaves the list, PUT is_active brings it back", async () => {
    const item = await newItem({ name: "Old Soap", category: "SoftDelete", unit_price: "50" });
    const del = await call("DELETE", `/items/${item.id}`);
    expect(del.status).toBe(200);
    expect(del.body.is_active).toBe(false);
    expect((await call("DELETE", `/items/${item.id}`)).status).toBe(200);
    expect((await call("GET", "/items?category=SoftDelete")).body).toEqual([]);
    expect((await call("GET", "/items?category=SoftDelete&include_inactive=true")).body).toHaveLength(1);
    expect((await call("GET", `/items/${item.id}`)).body.is_active).toBe(false);
    const back = await call("PUT", `/items/${item.id}`, { is_active: true });
    expect(back.body.is_active).toBe(true);
    expect((await call("GET", "/items?category=SoftDelete")).body).toHaveLength(1);
  });

  it("answers 404 for unknown or impossible ids", async () => {
    for (const path of ["/items/999999", "/items/abc", "/items/0", "/items/99999999999", "/bills/999999", "/bills/1.5"]) {
      const r = await call("GET", path);
      expect(r.status, path).toBe(404);
      expect(r.body.error.code).toBe("NOT_FOUND");
    }
    expect((await call("DELETE", "/items/999999")).body.error.message).toBe("Item 999999 does not exist");
  });
});

describe("REST /bills", () => {
  it("sells the original design's example: full bill with lines and totals, stock decremented", async () => {
    const sugar = await newItem({ name: "Sugar (bill)", unit: "kg", unit_price: "160", stock_qty: "10" });
    const flour = await newItem({ name: "Flour (bill)", unit: "kg", unit_price: "95.50", stock_qty: "5" });
    const r = await call("POST", "/bills", {
      customer_name: "Ali",
      store_name: "Utility Store #1",
      items: [
        { item_id: sugar.id, quantity: 2 },
        { item_id: flour.id, quantity: 1.5 },
      ],
    });
    expect(r.status).toBe(201);
    expect(r.headers.get("location")).toBe(`/bills/${r.body.id}`);
    expect(r.headers.get("idempotent-replayed")).toBeNull();
    expect(r.body).toMatchObject({
      customer_name: "Ali",
      store_name: "Utility Store #1",
      subtotal: "463.25",
      total_amount: "463.25",
      idempotency_key: null,
      cashier_name: "Test Owner",
      items: [
        { item_id: sugar.id, item_name: "Sugar (bill)", unit: "kg", unit_price: "160.00", quantity: "2.000", line_total: "320.00" },
        { item_id: flour.id, item_name: "Flour (bill)", unit: "kg", unit_price: "95.50", quantity: "1.500", line_total: "143.25" },
      ],
    });
    expect((await call("GET", `/items/${sugar.id}`)).body.stock_qty).toBe("8.000");
    expect((await call("GET", `/items/${flour.id}`)).body.stock_qty).toBe("3.500");
    const got = await call("GET", `/bills/${r.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(r.body);
  });

  it("prices exactly: decimal strings, half-up cents, merged repeated lines", async () => {
    const item = await newItem({ name: "Tea (exact)", unit: "kg", unit_price: "0.99", stock_qty: "10" });
    const r = await call("POST", "/bills", { items: [{ item_id: item.id, quantity: "0.1" }, { item_id: item.id, quantity: "0.2" }, { item_id: item.id, quantity: 0.705 }] });
    expect(r.status).toBe(201);
    expect(r.body.items).toHaveLength(1);
    expect(r.body.items[0]).toMatchObject({ quantity: "1.005", line_total: "0.99" }); // 0.99495 → 0.99
    expect(r.body.total_amount).toBe("0.99");
    expect((await call("GET", `/items/${item.id}`)).body.stock_qty).toBe("8.995");
  });

  it("refuses a sale short of stock with 409 naming the item, requested and available; nothing changes", async () => {
    const oil = await newItem({ name: "Oil (short)", unit: "liter", unit_price: "500", stock_qty: "1.5" });
    const salt = await newItem({ name: "Salt (short)", unit: "kg", unit_price: "40", stock_qty: "3" });
    const before = await databaseChecksum(t.db.pool);
    const r = await call("POST", "/bills", { items: [{ item_id: salt.id, quantity: 1 }, { item_id: oil.id, quantity: "2" }] });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({
      code: "INSUFFICIENT_STOCK",
      item_id: oil.id,
      item_name: "Oil (short)",
      unit: "liter",
      requested: "2.000",
      available: "1.500",
      shortages: [{ item_id: oil.id, item_name: "Oil (short)", unit: "liter", requested: "2.000", available: "1.500" }],
    });
    expect(r.body.error.message).toContain("only 1.500 liter available");
    expect(await databaseChecksum(t.db.pool)).toBe(before);

    await call("DELETE", `/items/${salt.id}`);
    const inactive = await call("POST", "/bills", { items: [{ item_id: salt.id, quantity: 1 }] });
    expect(inactive.status).toBe(409);
    expect(inactive.body.error).toMatchObject({ code: "ITEM_INACTIVE", item_id: salt.id, item_name: "Salt (short)" });
  });

  it("names bad lines with 422: items[1].quantity, unknown items, empty bills", async () => {
    const item = await newItem({ name: "Soap (422)", unit_price: "10", stock_qty: "10" });
    const before = await databaseChecksum(t.db.pool);
    const r = await call("POST", "/bills", { items: [{ item_id: item.id, quantity: 1 }, { item_id: item.id, quantity: "-2" }] });
    expect(r.status).toBe(422);
    expect(r.body.error.field_errors).toEqual([{ field: "items[1].quantity", code: "NOT_POSITIVE", message: "must be greater than 0" }]);
    expect(r.body.error.message).toBe("items[1].quantity: must be greater than 0");
    expect(fields(await call("POST", "/bills", { items: [{ item_id: item.id, quantity: 1 }, { item_id: 999999, quantity: 1 }] }))).toEqual([
      "items[1].item_id:NOT_FOUND",
    ]);
    expect(fields(await call("POST", "/bills", { items: [] }))).toEqual(["items:EMPTY_BILL"]);
    expect(fields(await call("POST", "/bills", { customer_name: 7, lines: [] }))).toEqual(["customer_name:INVALID_TYPE", "items:REQUIRED", "lines:UNKNOWN_FIELD"]);
    expect(fields(await call("POST", "/bills", { items: [{ item_id: "1", quantity: 1 }] }))).toEqual(["items[0].item_id:INVALID_TYPE"]);
    expect(await databaseChecksum(t.db.pool)).toBe(before);
  });

  it("makes retries safe with Idempotency-Key", async () => {
    const item = await newItem({ name: "Milk (idem)", unit: "liter", unit_price: "220", stock_qty: "10" });
    const body = { customer_name: "Sara", items: [{ item_id: item.id, quantity: "1.5" }] };
    const key = { "idempotency-key": "counter1-0001" };
    const first = await call("POST", "/bills", body, key);
    expect(first.status).toBe(201);
    expect(first.body.idempotency_key).toBe("counter1-0001");
    const again = await call("POST", "/bills", body, key);
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("location")).toBe(`/bills/${first.body.id}`);
    expect(again.body).toEqual(first.body);
    expect((await call("GET", `/items/${item.id}`)).body.stock_qty).toBe("8.500");

    const other = await call("POST", "/bills", { ...body, customer_name: "Someone else" }, key);
    expect(other.status).toBe(422);
    expect(other.body.error).toMatchObject({ code: "IDEMPOTENCY_KEY_REUSED", idempotency_key: "counter1-0001", bill_id: first.body.id });
    expect(fields(await call("POST", "/bills", body, { "idempotency-key": "has space" }))).toEqual(["Idempotency-Key:INVALID_FORMAT"]);
    expect((await call("GET", `/items/${item.id}`)).body.stock_qty).toBe("8.500");
  });

  it("lists bills newest first within a date range", async () => {
    const item = await newItem({ name: "Pen (list)", unit_price: "20", stock_qty: "100" });
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await call("POST", "/bills", { items: [{ item_id: item.id, quantity: 1 }] })).body.id);
    const today = new Date();
    const day = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, "0")}-${String(today.getDate()).padStart(2, "0")}`;
    const r = await call("GET", `/bills?from=${day}&to=${day}&limit=200`);
    expect(r.status).toBe(200);
    const listed = r.body.map((b: { id: number }) => b.id);
    expect(listed.slice(0, 3)).toEqual([...ids].reverse());
    expect(r.body[0]).toMatchObject({ id: ids[2], total_amount: "20.00", subtotal: "20.00", customer_name: null });
    expect(r.body[0].items).toBeUndefined();
    expect((await call("GET", "/bills?to=2000-01-01")).body).toEqual([]);
    const page = await call("GET", "/bills?limit=1");
    expect(page.body).toHaveLength(1);
    expect(page.headers.get("link")).toMatch(/^<\/bills\?limit=1&after=[^>]+>; rel="next"$/);
    expect(fields(await call("GET", "/bills?from=yesterday"))).toEqual(["from:INVALID_DATE"]);
    expect(fields(await call("GET", "/bills?from=2026-02-31"))).toEqual(["from:INVALID_DATE"]);
  });
});

describe("REST over HTTP", () => {
  it("answers 400 for malformed or empty JSON, 415 for non-JSON, 413 for oversized bodies", async () => {
    const malformed = await call("POST", "/bills", '{"items": [');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("MALFORMED_JSON");
    expect((await call("POST", "/items", "")).body.error.code).toBe("EMPTY_BODY");

    const text = await t.fetch(`/bills`, { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" });
    expect(text.status).toBe(415);
    expect(((await text.json()) as any).error.code).toBe("UNSUPPORTED_MEDIA_TYPE");

    const huge = await call("POST", "/bills", { customer_name: "x".repeat(1_100_000), items: [] });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("answers 405 with Allow for a method the path does not have", async () => {
    const r = await call("PATCH", "/items/1", { name: "x" });
    expect(r.status).toBe(405);
    expect(r.headers.get("allow")).toBe("GET, PUT, DELETE");
    expect(r.body.error.code).toBe("METHOD_NOT_ALLOWED");
    expect((await call("DELETE", "/bills")).headers.get("allow")).toBe("POST, GET");
    expect((await call("GET", "/items/1/extra")).status).toBe(404);
  });
});
