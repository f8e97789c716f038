// Reliability: a few hundred malformed requests. Every one gets a clear 4xx or
// a typed error — never a 5xx, never a crash — and the database is unchanged.
import { describe, expect, it } from "vitest";
import { PRICE, QUANTITY, STOCK, STOCK_DELTA } from "../../src/domain/money.ts";
import { DISCOUNT_PERCENT, POSITIVE_AMOUNT } from "../../src/domain/sale.ts";
import { refusedBy } from "../../src/testing/sweep.ts";
import { databaseChecksum } from "../../src/testing/checksum.ts";
import { useTestServer } from "../../src/testing/fixtures.ts";

const api = useTestServer(20);

interface Answer {
  status: number;
  body: string;
}

async function post(path: string, body: string, headers: Record<string, string> = { "content-type": "application/json" }): Promise<Answer> {
  const res = await api.fetch(`${path}`, { method: "POST", headers, body });
  return { status: res.status, body: await res.text() };
}

/** The answer refused the request in a way a client can read. */
function expectRefusal(what: string, a: Answer) {
  expect(a.status, `${what} → ${a.status} ${a.body.slice(0, 200)}`).toBeLessThan(500);
  if (a.status === 200) {
    const json = JSON.parse(a.body) as { data?: Record<string, { __typename?: string } | null>; errors?: unknown[] };
    const typed = Object.values(json.data ?? {}).every((v) => v === null || (v.__typename !== undefined && !v.__typename.endsWith("Success")));
    expect(json.errors !== undefined || typed, `${what} → ${a.body.slice(0, 300)}`).toBe(true);
  } else {
    expect(a.status, what).toBeGreaterThanOrEqual(400);
  }
}

// Values that must never be taken as a quantity, price or id.
const BAD_NUMBERS: unknown[] = [
  "NaN", "nan", "Infinity", "-Infinity", "1e3", "1E-2", "0x1F", "0b101", "1_000", "1,5", " ", "", "--1", "+-1", "1.2.3", "١٢", "1/2",
  "-1", "0", "-0", "0.0000", "1.0001", "99999999999999999999", "1".repeat(400), "12abc", null, true, false, [], {}, [1], { n: 1 }, -5, 0, 1e400, 1e21, 1.23456, -0.001,
];

describe("bad input sweep", () => {
  it("refuses every malformed request cleanly and changes nothing", async () => {
    const made = await api.graphql(`mutation { createItem(input: { name: "Sugar", unit: "kg", unitPrice: "160", stockQty: "10" }) { ... on CreateItemSuccess { item { id } } } }`);
    const itemId = made.data.createItem.item.id as number;
    const before = await databaseChecksum(api.db.pool);
    let sent = 0;
    const check = async (what: string, a: Promise<Answer>) => {
      sent++;
      expectRefusal(what, await a);
    };
    const gql = (query: string, variables?: unknown) => post("/graphql", JSON.stringify({ query, variables }));
    const CREATE_BILL = `mutation($input: CreateBillInput!) { createBill(input: $input) { __typename ... on Error { message } } }`;
    const CREATE_ITEM = `mutation($input: CreateItemInput!) { createItem(input: $input) { __typename ... on Error { message } } }`;
    const ADJUST = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { __typename ... on Error { message } } }`;

    for (const value of BAD_NUMBERS) {
      const shown = String(value);
      const bad: unknown = JSON.parse(JSON.stringify({ v: value })).v; // what actually travels (1e400 → null)
      if (refusedBy(QUANTITY, bad)) await check(`bill quantity ${shown}`, gql(CREATE_BILL, { input: { lines: [{ itemId, quantity: bad }] } }));
      await check(`bill itemId ${shown}`, gql(CREATE_BILL, { input: { lines: [{ itemId: bad, quantity: "1" }] } }));
      if (refusedBy(PRICE, bad)) await check(`item price ${shown}`, gql(CREATE_ITEM, { input: { name: "X", unitPrice: bad } }));
      if (bad !== null && bad !== undefined && refusedBy(STOCK, bad)) await check(`item stock ${shown}`, gql(CREATE_ITEM, { input: { name: "X", unitPrice: "1", stockQty: bad } }));
      if (refusedBy(STOCK_DELTA, bad)) await check(`adjust delta ${shown}`, gql(ADJUST, { input: { itemId, delta: bad } }));
      const line = { itemId, quantity: "1" };
      if (refusedBy(DISCOUNT_PERCENT, bad)) await check(`line discount % ${shown}`, gql(CREATE_BILL, { input: { lines: [{ ...line, discount: { kind: "PERCENT", value: bad } }] } }));
      if (refusedBy(POSITIVE_AMOUNT, bad)) {
        await check(`bill discount amount ${shown}`, gql(CREATE_BILL, { input: { lines: [line], billDiscount: { kind: "AMOUNT", value: bad } } }));
        await check(`payment amount ${shown}`, gql(CREATE_BILL, { input: { lines: [line], payments: [{ method: "CASH", amount: bad }] } }));
      }
      if (bad !== null) await check(`expected total ${shown}`, gql(CREATE_BILL, { input: { lines: [line], expectedTotal: bad } }));
    }
    // Literal forms in the query text itself.
    for (const lit of ["1e3", "-1", "0", "NaN", '"abc"', "true", "null", "[1]", "{a: 1}", "1.0001", '"1e3"', "99999999999999999999999"]) {
      await check(`literal quantity ${lit}`, gql(`mutation { createBill(input: { lines: [{ itemId: ${itemId}, quantity: ${lit} }] }) { __typename } }`));
    }
    // Names, keys and shapes.
    const longText = "x".repeat(300_000);
    for (const input of [
      { lines: [] },
      { lines: null },
      { lines: "everything" },
      { lines: Array.from({ length: 501 }, () => ({ itemId, quantity: "1" })) },
      { lines: [{ itemId: 2147483648, quantity: "1" }] },
      { lines: [{ itemId: 987654, quantity: "1" }] },
      { customerName: longText, lines: [{ itemId, quantity: "1" }] },
      { storeName: "\u0000bad", lines: [{ itemId, quantity: "1" }] },
      { idempotencyKey: "has space", lines: [{ itemId, quantity: "1" }] },
      { idempotencyKey: "k".repeat(201), lines: [{ itemId, quantity: "1" }] },
      { lines: [{ itemId, quantity: "6" }, { itemId, quantity: "5" }] }, // 11 kg > 10 in stock once merged
      { lines: [{ itemId, quantity: "10.001" }] },
      { unknownField: 1, lines: [{ itemId, quantity: "1" }] },
      // Discounts, payments, approvals and totals that cannot be.
      { lines: [{ itemId, quantity: "1", discount: { kind: "AMOUNT", value: "160.01" } }] },
      { lines: [{ itemId, quantity: "1" }], billDiscount: { kind: "PERCENT", value: "100.001" } },
      { lines: [{ itemId, quantity: "1", discount: { kind: "PERCENT", value: "5" } }, { itemId, quantity: "1", discount: { kind: "PERCENT", value: "5" } }] },
      { lines: [{ itemId, quantity: "1" }], billDiscount: { kind: "HALF", value: "1" } },
      { lines: [{ itemId, quantity: "1" }], payments: "cash" },
      { lines: [{ itemId, quantity: "1" }], payments: [{ method: "CHEQUE", amount: "160" }] },
      { lines: [{ itemId, quantity: "1" }], payments: [{ method: "OTHER", amount: "160" }] },
      { lines: [{ itemId, quantity: "1" }], payments: [{ method: "CARD", amount: "160.01" }] },
      { lines: [{ itemId, quantity: "1" }], payments: [{ method: "CASH", amount: "159.99" }] },
      { lines: [{ itemId, quantity: "1" }], payments: [{ method: "CASH", amount: "200" }, { method: "CARD", amount: "1" }] },
      { lines: [{ itemId, quantity: "1" }], payments: Array.from({ length: 11 }, () => ({ method: "CARD", amount: "1" })) },
      { lines: [{ itemId, quantity: "1" }], payments: [{ method: "CARD", amount: "160", reference: "r".repeat(81) }] },
      { lines: [{ itemId, quantity: "1" }], approval: { username: "boss" } },
      { lines: [{ itemId, quantity: "1" }], expectedTotal: "159.99" },
    ]) {
      await check(`bill ${JSON.stringify(input).slice(0, 80)}`, gql(CREATE_BILL, { input }));
    }
    for (const input of [{ name: "" }, { name: longText, unitPrice: "1" }, { name: "Y", unitPrice: "1", sku: "no spaces allowed" }, { name: "Y", unitPrice: "1", unit: "" }, { name: 5, unitPrice: "1" }]) {
      await check(`item ${JSON.stringify(input).slice(0, 80)}`, gql(CREATE_ITEM, { input }));
    }
    await check("update unknown item", gql(`mutation { updateItem(id: 987654, input: { name: "Z" }) { __typename } }`));
    await check("deactivate unknown item", gql(`mutation { setItemActive(id: 987654, active: false) { __typename } }`));
    await check("count negative", gql(`mutation { countStock(input: { itemId: ${itemId}, countedQty: "-1" }) { __typename } }`));
    await check("adjust below zero", gql(ADJUST, { input: { itemId, delta: "-10.001" } }));
    await check("bad cursor", gql(`{ items(after: "bm90IGEgY3Vyc29y") { nodes { id } } }`));
    await check("bad page size", gql(`{ items(first: 100000) { nodes { id } } }`));
    await check("bad date", gql(`{ bills(from: "yesterday") { nodes { id } } }`));

    // Query abuse: depth, aliases, unknown fields, syntax, batching, huge documents.
    await check("deep", gql(`{ bill(id: 1) { ${"lines { ".repeat(40)} id ${"} ".repeat(40)} } }`));
    await check("aliases", gql(`{ ${Array.from({ length: 2000 }, (_, i) => `a${i}: items(first: 200) { nodes { id } }`).join(" ")} }`));
    await check("fragment cycle", gql(`{ items { nodes { ...A } } } fragment A on Item { id ...B } fragment B on Item { name ...A }`));
    await check("unknown field", gql(`{ nope }`));
    await check("syntax", gql(`{ items( }`));
    await check("mutation via GET", api.fetch(`/graphql?query=${encodeURIComponent(`mutation { setItemActive(id: ${itemId}, active: false) { __typename } }`)}`, { headers: { "apollo-require-preflight": "1" } }).then(async (r) => ({ status: r.status, body: await r.text() })));
    await check("batch", post("/graphql", JSON.stringify([{ query: "{ categories { name } }" }, { query: "{ categories { name } }" }])));
    await check("no query", post("/graphql", JSON.stringify({ variables: {} })));
    await check("query not a string", post("/graphql", JSON.stringify({ query: 42 })));
    await check("variables not an object", post("/graphql", JSON.stringify({ query: CREATE_BILL, variables: "x" })));

    // Transport-level garbage.
    for (const body of ["{", "nul", "[", '{"query": "{ categories { name } }"', "\u0000\u0001", "", "🍕"]) {
      await check(`malformed JSON ${JSON.stringify(body)}`, post("/graphql", body));
    }
    await check("huge body", post("/graphql", JSON.stringify({ query: "{ categories { name } }", x: "y".repeat(3_000_000) })));
    await check("text/plain", post("/graphql", `{"query":"mutation { setItemActive(id: ${itemId}, active: false) { __typename } }"}`, { "content-type": "text/plain" }));
    await check("unknown path", post("/nope", "{}"));

    expect(sent).toBeGreaterThan(200);
    expect(await databaseChecksum(api.db.pool)).toBe(before);
    // And the server still serves.
    expect((await api.graphql(`{ item(id: ${itemId}) { stockQty isActive } }`)).data.item).toEqual({ stockQty: "10.000", isActive: true });
  });

  it("refuses every malformed REST request with a 4xx and changes nothing", async () => {
    const made = await api.graphql(`mutation { createItem(input: { name: "Flour", unit: "kg", unitPrice: "120", stockQty: "4" }) { ... on CreateItemSuccess { item { id } } } }`);
    const itemId = made.data.createItem.item.id as number;
    const before = await databaseChecksum(api.db.pool);
    let sent = 0;
    const rest = async (what: string, method: string, path: string, body?: string, headers: Record<string, string> = { "content-type": "application/json" }) => {
      sent++;
      const res = await api.fetch(`${path}`, { method, headers, body });
      const text = await res.text();
      expect(res.status, `${what} → ${res.status} ${text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${what} → ${res.status} ${text.slice(0, 200)}`).toBeLessThan(500);
    };
    const bill = (body: unknown) => JSON.stringify(body);
    for (const value of BAD_NUMBERS) {
      const q = JSON.parse(JSON.stringify({ v: value })).v;
      if (refusedBy(QUANTITY, q)) await rest(`POST /bills quantity ${String(value)}`, "POST", "/bills", bill({ items: [{ item_id: itemId, quantity: q }] }));
      await rest(`POST /bills item_id ${String(value)}`, "POST", "/bills", bill({ items: [{ item_id: q, quantity: "1" }] }));
      if (refusedBy(PRICE, q)) await rest(`POST /items price ${String(value)}`, "POST", "/items", JSON.stringify({ name: "X", unit_price: q }));
      if (q !== null && q !== undefined && refusedBy(PRICE, q)) await rest(`PUT /items price ${String(value)}`, "PUT", `/items/${itemId}`, JSON.stringify({ unit_price: q }));
      if (q !== null && q !== undefined && refusedBy(STOCK, q)) await rest(`PUT /items stock ${String(value)}`, "PUT", `/items/${itemId}`, JSON.stringify({ stock_qty: q }));
    }
    for (const body of ["{", "", "[]", "null", "42", '"text"', "\u0000", '{"items": [{"item_id": 1, "quantity": 1}]', JSON.stringify({ items: [] }), JSON.stringify({ items: "all" }),
      JSON.stringify({ items: [{ item_id: itemId, quantity: "5" }] }), // more than the 4 kg in stock
      JSON.stringify({ items: [{ item_id: itemId, quantity: "3" }, { item_id: itemId, quantity: "2" }] }), // merged: 5 kg
      JSON.stringify({ items: [{ item_id: 987654, quantity: "1" }] }),
      JSON.stringify({ items: [{ item_id: itemId, quantity: "1", extra: true }] }),
      JSON.stringify({ customer_name: "x".repeat(500), items: [{ item_id: itemId, quantity: "1" }] }),
      JSON.stringify({ items: Array.from({ length: 501 }, () => ({ item_id: itemId, quantity: "0.001" })) }),
      JSON.stringify({ items: [{ item_id: itemId, quantity: "1", discount: { kind: "PERCENT", value: "0" } }] }),
      JSON.stringify({ items: [{ item_id: itemId, quantity: "1" }], bill_discount: { kind: "AMOUNT", value: "120.01" } }),
      JSON.stringify({ items: [{ item_id: itemId, quantity: "1" }], payments: [{ method: "CARD", amount: "130" }] }),
      JSON.stringify({ items: [{ item_id: itemId, quantity: "1" }], payments: [{ method: "CASH", amount: "100" }] }),
      JSON.stringify({ items: [{ item_id: itemId, quantity: "1" }], payments: [{ method: "OTHER", amount: "120" }] }),
      JSON.stringify({ items: [{ item_id: itemId, quantity: "1" }], payments: [{ method: "CASH", amount: "120", tip: 1 }] }),
      JSON.stringify({ items: [{ item_id: itemId, quantity: "1" }], expected_total: "119.99" }),
      JSON.stringify({ items: [{ item_id: itemId, quantity: "1" }], approval: { username: "boss" } }),
    ]) {
      await rest(`POST /bills ${body.slice(0, 60)}`, "POST", "/bills", body);
    }
    await rest("POST /bills bad Idempotency-Key", "POST", "/bills", bill({ items: [{ item_id: itemId, quantity: "1" }] }), { "content-type": "application/json", "idempotency-key": "has spaces in it" });
    await rest("POST /bills huge body", "POST", "/bills", JSON.stringify({ items: [], pad: "x".repeat(3_000_000) }));
    await rest("POST /bills text/plain", "POST", "/bills", bill({ items: [{ item_id: itemId, quantity: "1" }] }), { "content-type": "text/plain" });
    await rest("POST /items empty name", "POST", "/items", JSON.stringify({ name: " ", unit_price: "1" }));
    await rest("POST /items wrong types", "POST", "/items", JSON.stringify({ name: 5, unit_price: true }));
    await rest("POST /items unknown field", "POST", "/items", JSON.stringify({ name: "Y", unit_price: "1", colour: "red" }));
    for (const path of ["/items/0", "/items/-1", "/items/abc", "/items/1.5", "/items/99999999999", "/items/987654", "/bills/0", "/bills/abc", "/bills/987654"]) {
      await rest(`GET ${path}`, "GET", path);
    }
    await rest("PUT unknown item", "PUT", "/items/987654", JSON.stringify({ name: "Z" }));
    await rest("DELETE unknown item", "DELETE", "/items/987654");
    await rest("DELETE /bills/1", "DELETE", "/bills/1");
    await rest("PATCH /items", "PATCH", `/items/${itemId}`, JSON.stringify({ name: "Z" }));
    await rest("bad list query", "GET", "/items?limit=abc");
    await rest("bad dates", "GET", "/bills?from=yesterday");
    await rest("reversed dates", "GET", "/bills?from=2026-02-01&to=2026-01-01");
    await rest("preview short payment", "POST", "/bills/preview", bill({ items: [{ item_id: itemId, quantity: "1" }], payments: [{ method: "CARD", amount: "1" }] }));
    for (const body of [{ currency: "RUPEES" }, { time_zone: "Mars/Base" }, { cash_rounding: "0.20" }, { cashier_discount_limit: "-1" }, { name: "" }, { prices_include_tax: "yes" }]) {
      await rest(`PUT /settings ${JSON.stringify(body)}`, "PUT", "/settings", JSON.stringify(body));
    }
    for (const body of [{ name: "T", percent: "100.5" }, { name: "T", percent: "1.2345" }, { name: "", percent: "1" }, { percent: "5" }]) {
      await rest(`POST /tax-rates ${JSON.stringify(body)}`, "POST", "/tax-rates", JSON.stringify(body));
    }
    await rest("item rate unknown", "PUT", `/items/${itemId}/tax-rate`, JSON.stringify({ tax_rate_id: 987654 }));

    expect(sent).toBeGreaterThan(100);
    expect(await databaseChecksum(api.db.pool)).toBe(before);
  });
});
