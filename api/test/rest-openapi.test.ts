// The OpenAPI document at /openapi.json: structurally valid OpenAPI 3.1 whose
// schemas all compile and resolve, and true — every documented status of every
// operation is provoked against the real server and its answer is validated
// against the documented schema and headers. Swagger UI is served locally.
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { Decimal } from "../src/domain/money.ts";
import { createApiToken } from "../src/domain/tokens.ts";
import { ADDRESS_LIMIT } from "../src/domain/staff.ts";
import { TEST_PASSWORD, TEST_PIN, useTestServer } from "../src/testing/fixtures.ts";

const t = useTestServer();

type Json = any;
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];
const COMPONENTS = "#/components/schemas/";

let doc: Json;

beforeAll(async () => {
  const res = await fetch(`${t.base}/openapi.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  doc = await res.json();
});

function* walk(node: Json, at = "#"): Generator<[string, Json]> {
  yield [at, node];
  if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) yield* walk(v, `${at}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`);
  }
}

const resolvePointer = (root: Json, ref: string) =>
  ref
    .slice(2)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<Json>((node, key) => (node && typeof node === "object" ? node[key] : undefined), root);

const operations = () =>
  Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ path, method: method.toUpperCase(), op: op as Json })),
  );

/** Ajv with the document's components loaded, refs pointed at them. */
function validators() {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  const retarget = (schema: Json): Json =>
    JSON.parse(JSON.stringify(schema).replaceAll(`"$ref":"${COMPONENTS}`, `"$ref":"urn:storelite:components#/$defs/`));
  ajv.addSchema({ $id: "urn:storelite:components", $defs: retarget(doc.components.schemas) });
  const cache = new Map<Json, ValidateFunction>();
  return (schema: Json) => {
    let v = cache.get(schema);
    if (!v) cache.set(schema, (v = ajv.compile(retarget(schema))));
    return v;
  };
}

describe("/openapi.json is valid OpenAPI 3.1", () => {
  it("has the top-level fields and unique operations with responses", () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBeTruthy();
    const ops = operations();
    expect(ops.map((o) => `${o.method} ${o.path}`).sort()).toEqual(
      [
        "GET /items",
        "POST /items",
        "GET /items/{id}",
        "PUT /items/{id}",
        "DELETE /items/{id}",
        "POST /bills",
        "GET /bills/{id}",
        "GET /bills",
        "GET /items/export.csv",
        "POST /imports",
        "GET /imports/{id}",
        "POST /imports/{id}/apply",
        "POST /imports/{id}/undo",
        "POST /auth/sign-in",
        "POST /auth/sign-out",
        "GET /auth/me",
        "POST /bills/preview",
        "GET /settings", "PUT /settings", "GET /tax-rates", "POST /tax-rates", "PUT /tax-rates/{id}", "GET /category-tax-rates",
        "PUT /category-tax-rates/{category}", "PUT /items/{id}/tax-rate",
        ...["sales", "top-items", "revenue-by-category", "sales-by-hour", "cashiers", "tax", "payments", "stock-valuation", "slow-movers", "low-stock", "reorder"].map((r) => `GET /reports/${r}`),
        "POST /bills/{id}/refund-preview", "POST /bills/{id}/returns", "GET /returns/{id}", "POST /bills/{id}/void",
        "GET /shifts/current", "POST /shifts", "GET /shifts/{id}", "POST /shifts/{id}/close", "POST /cash-movements", "GET /z-reports", "GET /z-reports/{number}",
      ].sort(),
    );
    const ids = ops.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, method, op } of ops) {
      const where = `${method} ${path}`;
      expect(Object.keys(op.responses).length, where).toBeGreaterThan(0);
      for (const [status, r] of Object.entries<Json>(op.responses)) {
        expect(status, where).toMatch(/^[1-5]\d\d$|^default$/);
        expect(r.description, `${where} ${status}`).toBeTruthy();
        // JSON everywhere, except the CSV export itself (a string of text/csv; its refusals are JSON).
        if (r.content) expect(Object.keys(r.content), `${where} ${status}`).toEqual([where === "GET /items/export.csv" && status === "200" ? "text/csv" : "application/json"]);
      }
      // Every {param} in the path is a required path parameter, and nothing else is.
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters ?? []).filter((p: Json) => p.in === "path");
      expect(declared.map((p: Json) => p.name), where).toEqual(templated);
      for (const p of declared) expect(p.required, where).toBe(true);
      for (const p of op.parameters ?? []) {
        expect(["path", "query", "header", "cookie"], where).toContain(p.in);
        expect(p.schema, `${where} ${p.name}`).toBeTypeOf("object");
      }
      if (op.requestBody) {
        // The import takes the file itself as the body; everything else JSON.
        const media = where === "POST /imports" ? "text/csv" : "application/json";
        expect(op.requestBody.content[media].schema, where).toBeTypeOf("object");
      }
    }
  });

  it("resolves every $ref and compiles every schema (JSON Schema 2020-12, strict)", () => {
    const refs = [...walk(doc)].filter(([at, v]) => at.endsWith("/$ref") && typeof v === "string").map(([, v]) => v as string);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) {
      expect(ref.startsWith(COMPONENTS), ref).toBe(true);
      expect(resolvePointer(doc, ref), ref).toBeTypeOf("object");
    }
    const compile = validators();
    for (const name of Object.keys(doc.components.schemas)) compile({ $ref: COMPONENTS + name });
    for (const { op } of operations()) {
      for (const p of op.parameters ?? []) compile(p.schema);
      for (const media of Object.values<Json>(op.requestBody?.content ?? {})) compile(media.schema);
      for (const r of Object.values<Json>(op.responses)) for (const media of Object.values<Json>(r.content ?? {})) compile(media.schema);
    }
  });

  it("documents request examples that its own request schemas accept", () => {
    const compile = validators();
    for (const { path, method, op } of operations()) {
      const media = op.requestBody?.content["application/json"];
      if (media?.example === undefined) continue;
      const valid = compile(media.schema);
      expect(valid(media.example), `${method} ${path}: ${JSON.stringify(valid.errors)}`).toBe(true);
    }
  });
});

describe("every documented answer is given as documented", () => {
  interface Call {
    method?: string;
    path: string;
    body?: unknown;
    raw?: string;
    headers?: Record<string, string>;
  }
  const seen = new Set<string>();

  async function check(method: string, template: string, status: number, call: Call) {
    const op = doc.paths[template]?.[method.toLowerCase()];
    expect(op, `${method} ${template} is documented`).toBeDefined();
    const documented = op.responses[String(status)];
    expect(documented, `${method} ${template} documents ${status}`).toBeDefined();
    const hasBody = call.body !== undefined || call.raw !== undefined;
    const res = await t.fetch(call.path, {
      method,
      headers: { ...(hasBody ? { "content-type": "application/json" } : {}), ...call.headers },
      body: call.raw ?? (call.body === undefined ? undefined : JSON.stringify(call.body)),
    });
    const text = await res.text();
    expect(res.status, `${method} ${call.path} → ${text.slice(0, 300)}`).toBe(status);
    if (documented.content?.["text/csv"]) expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const media = documented.content?.["application/json"];
    if (media) {
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      const valid = validators()(media.schema);
      const body = JSON.parse(text);
      expect(valid(body), `${method} ${call.path} ${status}: ${JSON.stringify(valid.errors)}\n${text.slice(0, 500)}`).toBe(true);
    }
    for (const name of Object.keys(documented.headers ?? {})) {
      // Link is documented as present only when there is a next page.
      if (name === "Link") continue;
      expect(res.headers.get(name), `${method} ${call.path} ${status} sends ${name}`).toBeTruthy();
    }
    seen.add(`${method} ${template} ${status}`);
    return { res, text };
  }

  it("covers every operation and status code in the document", async () => {
    const post = (path: string, body: unknown, headers?: Record<string, string>): Call => ({ path, body, headers });
    const item = JSON.parse((await check("POST", "/items", 201, post("/items", { name: "Contract Sugar", unit: "kg", unit_price: "160", stock_qty: "5" }))).text);
    const other = JSON.parse((await check("POST", "/items", 201, post("/items", { name: "Contract Salt", unit_price: "40", stock_qty: "5" }))).text);
    await check("POST", "/items", 422, post("/items", { name: "", unit_price: "x" }));

    const list = await check("GET", "/items", 200, { path: "/items?name=contract&limit=1" });
    expect(list.res.headers.get("link")).toMatch(/rel="next"/);
    await check("GET", "/items", 422, { path: "/items?limit=0" });

    await check("GET", "/items/{id}", 200, { path: `/items/${item.id}` });
    await check("GET", "/items/{id}", 404, { path: "/items/999999" });
    await check("PUT", "/items/{id}", 200, { path: `/items/${item.id}`, body: { unit_price: "165", stock_qty: "6" } });
    await check("PUT", "/items/{id}", 404, { path: "/items/999999", body: { name: "x" } });
    await check("PUT", "/items/{id}", 422, { path: `/items/${item.id}`, body: { unit_price: -1 } });

    const key = { "idempotency-key": "contract-1" };
    const sale = { customer_name: "Ali", store_name: "Utility Store #1", items: [{ item_id: item.id, quantity: 2 }, { item_id: other.id, quantity: 1.5 }] };
    const bill = JSON.parse((await check("POST", "/bills", 201, post("/bills", sale, key))).text);
    await check("POST", "/bills", 200, post("/bills", sale, key));
    await check("POST", "/bills", 409, post("/bills", { items: [{ item_id: item.id, quantity: 1000 }] }));
    await check("POST", "/bills", 422, post("/bills", { items: [{ item_id: item.id, quantity: 0 }] }));
    await check("POST", "/bills", 422, post("/bills", { ...sale, customer_name: "Bob" }, key));

    // Settings and tax rates, then a taxed, discounted sale paid two ways.
    await check("GET", "/settings", 200, { path: "/settings" });
    await check("PUT", "/settings", 200, { path: "/settings", body: { name: "Contract Shop", cash_rounding: "0.00", receipt_footer: "Thanks" } });
    await check("PUT", "/settings", 422, { path: "/settings", body: { currency: "EURO", time_zone: "Nowhere/Town" } });
    const rate = JSON.parse((await check("POST", "/tax-rates", 201, post("/tax-rates", { name: "Contract GST", percent: "17" }))).text);
    await check("POST", "/tax-rates", 422, post("/tax-rates", { name: "Contract GST", percent: "5" }));
    await check("GET", "/tax-rates", 200, { path: "/tax-rates?include_inactive=true" });
    await check("GET", "/tax-rates", 422, { path: "/tax-rates?include_inactive=maybe" });
    await check("PUT", "/tax-rates/{id}", 200, { path: `/tax-rates/${rate.id}`, body: { percent: "16.5" } });
    await check("PUT", "/tax-rates/{id}", 404, { path: "/tax-rates/999999", body: { percent: "1" } });
    await check("PUT", "/tax-rates/{id}", 422, { path: `/tax-rates/${rate.id}`, body: { percent: "100.001" } });
    await check("PUT", "/category-tax-rates/{category}", 200, { path: "/category-tax-rates/Other", body: { tax_rate_id: rate.id } });
    await check("PUT", "/category-tax-rates/{category}", 422, { path: "/category-tax-rates/Other", body: { tax_rate_id: 999999 } });
    await check("GET", "/category-tax-rates", 200, { path: "/category-tax-rates" });
    await check("PUT", "/items/{id}/tax-rate", 200, { path: `/items/${item.id}/tax-rate`, body: { tax_rate_id: null } });
    await check("PUT", "/items/{id}/tax-rate", 404, { path: "/items/999999/tax-rate", body: { tax_rate_id: rate.id } });
    await check("PUT", "/items/{id}/tax-rate", 422, { path: `/items/${item.id}/tax-rate`, body: { tax_rate_id: 999999 } });
    const paid = {
      items: [{ item_id: item.id, quantity: 1, discount: { kind: "PERCENT", value: "5" } }, { item_id: other.id, quantity: 1 }],
      bill_discount: { kind: "AMOUNT", value: "1.00" },
      payments: [{ method: "CARD", amount: "100.00", reference: "4242" }, { method: "CASH", amount: "200" }],
    };
    const preview = JSON.parse((await check("POST", "/bills/preview", 200, post("/bills/preview", paid))).text);
    await check("POST", "/bills/preview", 409, post("/bills/preview", { items: [{ item_id: item.id, quantity: 1000 }] }));
    await check("POST", "/bills/preview", 422, post("/bills/preview", { ...paid, payments: [{ method: "CASH", amount: "1" }] }));
    await check("POST", "/bills", 409, post("/bills", { ...paid, expected_total: "1.00" }));
    await check("POST", "/bills", 422, post("/bills", { ...paid, payments: [{ method: "CARD", amount: "9999" }] }));
    const taxed = JSON.parse((await check("POST", "/bills", 201, post("/bills", { ...paid, expected_total: preview.total_amount }))).text);
    expect(taxed.total_amount).toBe(preview.total_amount);
    // A category in the path that is not valid percent-encoding names no category.
    await check("PUT", "/category-tax-rates/{category}", 404, { path: "/category-tax-rates/%E0%A4%A", body: { tax_rate_id: rate.id } });

    await check("GET", "/bills/{id}", 200, { path: `/bills/${bill.id}` });
    await check("GET", "/bills/{id}", 200, { path: `/bills/${taxed.id}` });
    await check("GET", "/bills/{id}", 404, { path: "/bills/999999" });
    await check("GET", "/bills", 200, { path: "/bills?from=2020-01-01" });
    await check("GET", "/bills", 422, { path: "/bills?from=soon" });

    // Reports: the two sales above (the plain one and the taxed one) are in today's range; bad ranges and parameters are refused.
    const range = "from=2020-01-01&to=2021-06-01";
    const sales = await check("GET", "/reports/sales", 200, { path: `/reports/sales?period=TODAY&group_by=DAY` });
    expect(JSON.parse(sales.text).totals.bills).toBe(2);
    await check("GET", "/reports/sales", 422, { path: "/reports/sales?from=2026-11-02&to=2026-11-01" });
    const top = await check("GET", "/reports/top-items", 200, { path: "/reports/top-items?period=THIS_MONTH&by=REVENUE&limit=5" });
    // 2 × 165.00 on the plain bill and 1 × 165.00 less its discounts on the taxed one: top items sum what the lines charged, without tax.
    const [sold] = (await t.db.pool.query("SELECT sum(taxable_amount)::text AS revenue FROM bill_items WHERE item_id = $1", [item.id])).rows;
    expect(Number(sold.revenue)).toBeLessThan(495);
    expect(JSON.parse(top.text).rows[0]).toMatchObject({ item_id: item.id, revenue: sold.revenue });
    await check("GET", "/reports/top-items", 422, { path: `/reports/top-items?${range}&limit=0` });
    await check("GET", "/reports/revenue-by-category", 200, { path: `/reports/revenue-by-category?${range}` });
    await check("GET", "/reports/revenue-by-category", 422, { path: "/reports/revenue-by-category?from=2020-01-01&to=2026-01-01" });
    await check("GET", "/reports/sales-by-hour", 200, { path: "/reports/sales-by-hour?period=LAST_7_DAYS" });
    await check("GET", "/reports/sales-by-hour", 422, { path: "/reports/sales-by-hour?from=soon&to=later" });
    const cashiers = await check("GET", "/reports/cashiers", 200, { path: "/reports/cashiers?period=TODAY" });
    expect(JSON.parse(cashiers.text).rows.reduce((n: number, r: Json) => n + r.bills, 0)).toBe(2);
    await check("GET", "/reports/cashiers", 422, { path: "/reports/cashiers?from=2026-11-02&to=2026-11-02" });
    const tax = await check("GET", "/reports/tax", 200, { path: "/reports/tax?period=TODAY" });
    const [taxRow] = (await t.db.pool.query("SELECT sum(tax_total)::text AS tax FROM bills")).rows;
    expect(JSON.parse(tax.text).tax).toBe(taxRow.tax);
    await check("GET", "/reports/tax", 422, { path: "/reports/tax?period=SOMEDAY" });
    const payments = await check("GET", "/reports/payments", 200, { path: "/reports/payments?period=TODAY" });
    expect(JSON.parse(payments.text).rows.find((r: Json) => r.method === "CARD")).toMatchObject({ payments: 1, amount: "100.00" });
    await check("GET", "/reports/payments", 422, { path: "/reports/payments?from=soon&to=later" });
    await check("GET", "/reports/stock-valuation", 200, { path: "/reports/stock-valuation" });
    await check("GET", "/reports/slow-movers", 200, { path: "/reports/slow-movers?days=7&limit=10" });
    await check("GET", "/reports/slow-movers", 422, { path: "/reports/slow-movers?days=0" });
    await check("PUT", "/items/{id}", 200, { path: `/items/${other.id}`, body: { reorder_point: "10", reorder_qty: "20", unit_cost: "30" } });
    const low = await check("GET", "/reports/low-stock", 200, { path: "/reports/low-stock" });
    expect(JSON.parse(low.text).map((i: Json) => i.id)).toContain(other.id);
    await check("GET", "/reports/low-stock", 422, { path: `/reports/low-stock?category=${"x".repeat(61)}` });
    const reorder = await check("GET", "/reports/reorder", 200, { path: "/reports/reorder" });
    expect(JSON.parse(reorder.text).flatMap((g: Json) => g.lines).find((l: Json) => l.item.id === other.id)).toMatchObject({ quantity: "20.000", estimated_cost: "600.00" });
    await check("GET", "/reports/reorder", 422, { path: "/reports/reorder?colour=red" });

    // A cashier's discount above the limit: 403 with its own code, without an approval and with one that does not count
    // (after the reports above, which count the bills made so far).
    const asCashier = (await t.as("CASHIER")).headers;
    const overLimit = { items: [{ item_id: item.id, quantity: 1 }], bill_discount: { kind: "PERCENT", value: "50" } };
    const refusal = JSON.parse((await check("POST", "/bills", 403, post("/bills", overLimit, asCashier))).text);
    expect(refusal.error).toMatchObject({ code: "DISCOUNT_APPROVAL_REQUIRED", discount_percent: "50.00", limit_percent: "10" });
    const manager = await t.as("MANAGER");
    const wrongPin = await check("POST", "/bills", 403, post("/bills", { ...overLimit, approval: { username: manager.staff!.username, pin: "0000" } }, asCashier));
    expect(JSON.parse(wrongPin.text).error.code).toBe("DISCOUNT_APPROVAL_REQUIRED");
    await check("POST", "/bills", 201, post("/bills", { ...overLimit, approval: { username: manager.staff!.username, pin: TEST_PIN } }, asCashier));
    // Shifts: off by default; turned on, a shift is opened, cash paid out, a sale goes into its drawer, the close writes the Z report.
    const drawerKey = (k: string) => ({ "idempotency-key": `contract-${k}` });
    const opening = { register: "Contract 1", opening_float: "100.00" };
    await check("POST", "/shifts", 409, post("/shifts", opening));
    await check("PUT", "/settings", 200, { path: "/settings", body: { shifts_enabled: true } });
    await check("POST", "/bills", 409, post("/bills", { items: [{ item_id: item.id, quantity: 1 }], register: "Contract 1" }));
    const shift = JSON.parse((await check("POST", "/shifts", 201, post("/shifts", opening, drawerKey("open")))).text);
    await check("POST", "/shifts", 200, post("/shifts", opening, drawerKey("open")));
    await check("POST", "/shifts", 422, post("/shifts", { register: "Contract 1", opening_float: "-1" }));
    const paidOut = { kind: "PAID_OUT", amount: "10.00", reason: "milk for the shop", register: "contract 1" };
    await check("POST", "/cash-movements", 201, post("/cash-movements", paidOut, drawerKey("move")));
    await check("POST", "/cash-movements", 200, post("/cash-movements", paidOut, drawerKey("move")));
    await check("POST", "/cash-movements", 422, post("/cash-movements", { ...paidOut, reason: " " }));
    await check("POST", "/cash-movements", 409, post("/cash-movements", { ...paidOut, register: "Contract 9" }));
    const short = await check("POST", "/cash-movements", 409, post("/cash-movements", { ...paidOut, amount: "90.01" }));
    expect(JSON.parse(short.text).error).toMatchObject({ code: "NOT_ENOUGH_CASH", requested: "90.01", available: "90.00" });
    const drawerSale = JSON.parse((await check("POST", "/bills", 201, post("/bills", { items: [{ item_id: item.id, quantity: 1 }], register: "Contract 1" }))).text);
    const x = JSON.parse((await check("GET", "/shifts/current", 200, { path: "/shifts/current?register=Contract%201" })).text);
    expect(x.report.figures.cash).toMatchObject({ opening_float: "100.00", sales: drawerSale.total_amount, paid_out: "10.00" });
    const second = JSON.parse((await check("POST", "/shifts", 201, post("/shifts", { register: "Contract 2", opening_float: "0" }))).text);
    await check("GET", "/shifts/current", 422, { path: "/shifts/current" });
    await check("GET", "/shifts/{id}", 200, { path: `/shifts/${shift.id}` });
    await check("GET", "/shifts/{id}", 404, { path: "/shifts/999999" });
    const close = { counted_cash: "250.00", note: "counted twice" };
    const closed = JSON.parse((await check("POST", "/shifts/{id}/close", 200, { path: `/shifts/${shift.id}/close`, body: close, headers: drawerKey("close") })).text);
    expect(closed.z_report.figures.cash).toMatchObject({ expected: new Decimal("100.00").add(drawerSale.total_amount).sub("10.00").toFixed(2), counted: "250.00" });
    await check("POST", "/shifts/{id}/close", 409, { path: `/shifts/${shift.id}/close`, body: close });
    await check("POST", "/shifts/{id}/close", 404, { path: "/shifts/999999/close", body: close });
    await check("POST", "/shifts/{id}/close", 422, { path: `/shifts/${second.id}/close`, body: { counted_cash: "-1" } });
    await check("POST", "/shifts/{id}/close", 200, { path: `/shifts/${second.id}/close`, body: { counted_cash: "0" } });
    await check("PUT", "/settings", 200, { path: "/settings", body: { shifts_enabled: false } });
    await check("GET", "/z-reports", 200, { path: "/z-reports?limit=1" });
    await check("GET", "/z-reports", 422, { path: "/z-reports?limit=0" });
    const z = JSON.parse((await check("GET", "/z-reports/{number}", 200, { path: `/z-reports/${closed.z_report.number}` })).text);
    expect(z.differences).toEqual([]);
    await check("GET", "/z-reports/{number}", 404, { path: "/z-reports/999999" });

    await check("DELETE", "/items/{id}", 200, { path: `/items/${other.id}` });
    await check("DELETE", "/items/{id}", 404, { path: "/items/999999" });
    await check("POST", "/bills", 409, post("/bills", { items: [{ item_id: other.id, quantity: 1 }] })); // inactive

    // Returns and voids: the taxed, discounted bill's first line comes back; a fresh bill is voided.
    const soldLine = taxed.items[0];
    const ret = { items: [{ bill_item_id: soldLine.id, quantity: "1" }], reason: "Contract return" };
    const returnKey = { "idempotency-key": "contract-return-1" };
    const refund = JSON.parse((await check("POST", "/bills/{id}/refund-preview", 200, post(`/bills/${taxed.id}/refund-preview`, ret))).text);
    expect(refund.refund_total).toBe(soldLine.charged_total);
    await check("POST", "/bills/{id}/refund-preview", 404, post("/bills/999999/refund-preview", ret));
    await check("POST", "/bills/{id}/refund-preview", 409, post(`/bills/${taxed.id}/refund-preview`, { ...ret, items: [{ bill_item_id: soldLine.id, quantity: "2" }] }));
    await check("POST", "/bills/{id}/refund-preview", 422, post(`/bills/${taxed.id}/refund-preview`, { ...ret, items: [{ bill_item_id: 999999, quantity: "1" }] }));
    const clerk = await t.as("CASHIER");
    await check("POST", "/bills/{id}/returns", 403, { ...post(`/bills/${taxed.id}/returns`, ret), headers: { authorization: `Bearer ${clerk.token}` } });
    const made = JSON.parse((await check("POST", "/bills/{id}/returns", 201, post(`/bills/${taxed.id}/returns`, ret, returnKey))).text);
    expect(made.refund_total).toBe(refund.refund_total);
    await check("POST", "/bills/{id}/returns", 200, post(`/bills/${taxed.id}/returns`, ret, returnKey));
    await check("POST", "/bills/{id}/returns", 409, post(`/bills/${taxed.id}/returns`, ret));
    await check("POST", "/bills/{id}/returns", 422, post(`/bills/${taxed.id}/returns`, { ...ret, reason: "Another" }, returnKey));
    await check("POST", "/bills/{id}/returns", 404, post("/bills/999999/returns", ret));
    await check("GET", "/returns/{id}", 200, { path: `/returns/${made.id}` });
    await check("GET", "/returns/{id}", 404, { path: "/returns/999999" });
    await check("POST", "/bills/{id}/void", 409, post(`/bills/${taxed.id}/void`, { reason: "has a return" }));
    const toVoid = JSON.parse((await check("POST", "/bills", 201, post("/bills", { items: [{ item_id: item.id, quantity: 1 }] }))).text);
    await check("POST", "/bills/{id}/void", 403, { ...post(`/bills/${toVoid.id}/void`, { reason: "x" }), headers: { authorization: `Bearer ${clerk.token}` } });
    await check("POST", "/bills/{id}/void", 422, post(`/bills/${toVoid.id}/void`, { reason: " " }));
    const voided = JSON.parse((await check("POST", "/bills/{id}/void", 200, post(`/bills/${toVoid.id}/void`, { reason: "Contract void" }))).text);
    expect(voided).toMatchObject({ id: toVoid.id, void_reason: "Contract void" });
    await check("POST", "/bills/{id}/void", 404, post("/bills/999999/void", { reason: "x" }));

    // Signing in and out, and who the request is.
    const cashier = await t.as("CASHIER");
    await check("POST", "/auth/sign-in", 200, post("/auth/sign-in", { username: cashier.staff!.username, password: TEST_PASSWORD }));
    await check("POST", "/auth/sign-in", 401, post("/auth/sign-in", { username: cashier.staff!.username, password: "wrong-password" }));
    await check("POST", "/auth/sign-in", 422, post("/auth/sign-in", { username: "x" }));
    await check("GET", "/auth/me", 200, { path: "/auth/me" });
    await check("POST", "/auth/sign-out", 200, { path: "/auth/sign-out", headers: { authorization: "" } });
    // A flood of wrong passwords from one address ends in 429s.
    for (let i = 0; i < ADDRESS_LIMIT; i++) {
      await t.anonymous.fetch("/auth/sign-in", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: `nobody${i}`, password: "wrong-password" }) });
    }
    await check("POST", "/auth/sign-in", 429, post("/auth/sign-in", { username: cashier.staff!.username, password: TEST_PASSWORD }));

    // Every operation that needs a permission: 401 without credentials, 403 with a token lacking it.
    const narrow = await createApiToken(t.ctx(t.owner.actor), { name: "staff only", scopes: ["MANAGE_STAFF"] });
    for (const { path, method, op } of operations().filter((o) => o.op.responses["403"])) {
      const concrete = path.replace("{id}", String(item.id));
      const body = op.requestBody?.content["application/json"]?.example;
      const call = (authorization: string): Call => ({ path: concrete, ...(body === undefined ? {} : { body }), headers: { authorization } });
      await check(method, path, 401, call(""));
      await check(method, path, 403, call(`Bearer ${narrow.secret}`));
    }

    // Imports: the file is the body (text/csv), the options are query parameters.
    await check("GET", "/items/export.csv", 200, { path: "/items/export.csv" });
    const csv = { "content-type": "text/csv" };
    const job = JSON.parse(
      (await check("POST", "/imports", 201, { path: "/imports?mode=upsert", raw: `sku,name,price\nCONTRACT-1,Contract Rice,120\n`, headers: csv })).text,
    );
    await check("POST", "/imports", 422, { path: "/imports", raw: "colour,size\nred,10\n", headers: csv });
    await check("POST", "/imports", 422, { path: "/imports?mode=sometimes", raw: "sku,name\nA,B\n", headers: csv });
    await check("POST", "/imports", 413, { path: "/imports", raw: "sku,name,price\n" + "A,B,1\n".repeat(400_000), headers: csv });
    await check("POST", "/imports", 415, { path: "/imports", raw: "{}", headers: { "content-type": "application/json" } });
    await check("GET", "/imports/{id}", 200, { path: `/imports/${job.id}?limit=10` });
    await check("GET", "/imports/{id}", 404, { path: "/imports/999999" });
    await check("GET", "/imports/{id}", 422, { path: `/imports/${job.id}?action=maybe` });
    await check("POST", "/imports/{id}/undo", 409, { path: `/imports/${job.id}/undo` }); // not applied yet
    await check("POST", "/imports/{id}/apply", 200, { path: `/imports/${job.id}/apply` });
    await check("POST", "/imports/{id}/apply", 409, { path: `/imports/${job.id}/apply` });
    await check("POST", "/imports/{id}/apply", 404, { path: "/imports/999999/apply" });
    await check("POST", "/imports/{id}/apply", 422, { path: `/imports/${job.id}/apply?skip_errors=perhaps` });
    await check("POST", "/imports/{id}/undo", 200, { path: `/imports/${job.id}/undo` });
    await check("POST", "/imports/{id}/undo", 404, { path: "/imports/999999/undo" });
    await check("POST", "/imports/{id}/undo", 422, { path: `/imports/${job.id}/undo?partial=perhaps` });

    // The failures every operation with a JSON body shares.
    for (const { path, method, op } of operations().filter((o) => o.op.requestBody?.content["application/json"])) {
      const concrete = path.replace("{id}", String(item.id));
      await check(method, path, 400, { path: concrete, raw: "{not json" });
      await check(method, path, 413, { path: concrete, raw: JSON.stringify({ name: "x".repeat(1_100_000) }) });
      await check(method, path, 415, { path: concrete, raw: "{}", headers: { "content-type": "text/plain" } });
      expect(op.responses["400"]).toBeDefined();
    }

    const documented = operations().flatMap(({ path, method, op }) => Object.keys(op.responses).map((s) => `${method} ${path} ${s}`));
    expect([...seen].sort()).toEqual([...new Set(documented)].sort());
  });
});

describe("Swagger UI at /docs", () => {
  it("serves the page and its assets from this server, pointed at /openapi.json", async () => {
    const page = await fetch(`${t.base}/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toContain("/docs/swagger-ui-bundle.js");
    for (const asset of assets) {
      expect(asset.startsWith("/"), `${asset} is served locally`).toBe(true);
      const res = await fetch(t.base + asset);
      expect(res.status, asset).toBe(200);
      expect((await res.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
    }
    const init = await (await fetch(`${t.base}/docs/init.js`)).text();
    expect(init).toContain('url: "/openapi.json"');
    expect(init).toContain("validatorUrl: null");
    expect((await fetch(`${t.base}/docs/../package.json`)).status).toBe(404);
    expect((await fetch(`${t.base}/docs/index.js`)).status).toBe(404);
  });
});
