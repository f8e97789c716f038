// Reliability: a few hundred malformed requests. Every one gets a clear 4xx or
// a typed error — never a 5xx, never a crash — and the database is unchanged.
import { describe, expect, it } from "vitest";
import { PRICE, QUANTITY, STOCK, STOCK_DELTA, parseDecimal, type DecimalRule } from "../../src/domain/money.ts";
import { databaseChecksum } from "../../src/testing/checksum.ts";
import { useTestServer } from "../../src/testing/fixtures.ts";

const api = useTestServer(20);

interface Answer {
  status: number;
  body: string;
}

async function post(path: string, body: string, headers: Record<string, string> = { "content-type": "application/json" }): Promise<Answer> {
  const res = await fetch(`${api.base}${path}`, { method: "POST", headers, body });
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

    // A value the rules accept (e.g. "0" is a fine price) would rightly change the database: skip those.
    const invalidFor = (rule: DecimalRule, v: unknown) => {
      try {
        parseDecimal(v, [], rule);
        return false;
      } catch {
        return true;
      }
    };
    for (const value of BAD_NUMBERS) {
      const shown = String(value);
      const bad: unknown = JSON.parse(JSON.stringify({ v: value })).v; // what actually travels (1e400 → null)
      if (invalidFor(QUANTITY, bad)) await check(`bill quantity ${shown}`, gql(CREATE_BILL, { input: { lines: [{ itemId, quantity: bad }] } }));
      await check(`bill itemId ${shown}`, gql(CREATE_BILL, { input: { lines: [{ itemId: bad, quantity: "1" }] } }));
      if (invalidFor(PRICE, bad)) await check(`item price ${shown}`, gql(CREATE_ITEM, { input: { name: "X", unitPrice: bad } }));
      if (bad !== null && bad !== undefined && invalidFor(STOCK, bad)) await check(`item stock ${shown}`, gql(CREATE_ITEM, { input: { name: "X", unitPrice: "1", stockQty: bad } }));
      if (invalidFor(STOCK_DELTA, bad)) await check(`adjust delta ${shown}`, gql(ADJUST, { input: { itemId, delta: bad } }));
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
    await check("mutation via GET", fetch(`${api.base}/graphql?query=${encodeURIComponent(`mutation { setItemActive(id: ${itemId}, active: false) { __typename } }`)}`, { headers: { "apollo-require-preflight": "1" } }).then(async (r) => ({ status: r.status, body: await r.text() })));
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
});
