// `npm run bench:bills`: one 3-line sale measured three ways on the same
// database (100k items): (a) the raw SQL transaction under pgbench — the
// database's own limit, (b) createBill through GraphQL over HTTP, (c) POST
// /bills through REST — at several client counts, with random items and with
// one hot item in every bill. Prints bills/s, p50/p99 and each API path as a
// ratio of (a). The -sale paths send a complete sale instead (taxed items, a
// line and a bill discount, card + cash with change) to compare with a plain
// one on the same server; graphql-shift sends the plain sale with shifts on
// (every bill share-locks the one open shift's row and records it). Never
// fails on speed.
import crypto from "node:crypto";
import { parseArgs } from "node:util";
import { apiRoot, startApi, startServer, type RunningApi } from "./lib/api.ts";
import { postgresCpuMs, processCpuMs } from "./lib/cpu.ts";
import { runBench } from "./lib/cleanup.ts";
import { loadItems, startBenchDb } from "./lib/db.ts";
import { CREATE_BILL } from "./lib/graphql.ts";
import { load } from "./lib/load.ts";
import { PGBENCH_MISSING, findPgbench, pgbench } from "./lib/pgbench.ts";
import { fmt, machineInfo, table, type Measured } from "./lib/stats.ts";

const { values: opts } = parseArgs({
  options: {
    items: { type: "string", default: "100000" },
    clients: { type: "string", default: "1,16,64" },
    seconds: { type: "string", default: "4" },
    mixes: { type: "string", default: "random,hot" },
    paths: { type: "string", default: "pgbench,pgbench-1rt,graphql,graphql-shift,graphql-sale,rest,rest-sale" },
    /** Extra API environment, e.g. --api-env STORELITE_DB_POOL_SIZE=20 */
    "api-env": { type: "string", multiple: true, default: [] },
    /** Extra node flags for the API process, e.g. --api-node-arg=--cpu-prof */
    "api-node-arg": { type: "string", multiple: true, default: [] },
    /**
     * Another checkout (e.g. a copy from before a change): its API runs too, on
     * the same database, and every API measurement is taken for both back to
     * back — a before/after in one run, on the same noise.
     */
    baseline: { type: "string" },
  },
});
const N = Number(opts.items);
const CLIENTS = opts.clients.split(",").map(Number);
const SECONDS = Number(opts.seconds);
const MIXES = opts.mixes.split(",") as ("random" | "hot")[];
const PATHS = new Set(opts.paths.split(","));
const apiEnv = Object.fromEntries(opts["api-env"].map((kv) => kv.split("=", 2) as [string, string]));

const HOT_ITEM = 1;
const QUANTITIES = ["1", "2", "1.5"] as const;
const rnd = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1));

/** Three distinct item ids, ascending; "hot" puts item 1 in every bill. */
function pickItems(mix: "random" | "hot"): [number, number, number] {
  if (mix === "hot") return [HOT_ITEM, rnd(2, Math.floor(N / 2)), rnd(Math.floor(N / 2) + 1, N)];
  return [rnd(2, Math.floor(N / 3)), rnd(Math.floor(N / 3) + 1, Math.floor((2 * N) / 3)), rnd(Math.floor((2 * N) / 3) + 1, N)];
}

// createBill's SQL (api/src/domain/bills.ts) as one pgbench transaction: claim
// an idempotency key with the bill row, lock the items in id order, then one
// statement decrements stock conditionally and writes lines, ledger and totals.
// (The app prices lines in JS between the two statements; here SQL does it.)
function pgbenchScript(mix: "random" | "hot"): string {
  const ids =
    mix === "hot"
      ? [`\\set a ${HOT_ITEM}`, `\\set b random(2, ${Math.floor(N / 2)})`, `\\set c random(${Math.floor(N / 2) + 1}, ${N})`]
      : [
          `\\set a random(2, ${Math.floor(N / 3)})`,
          `\\set b random(${Math.floor(N / 3) + 1}, ${Math.floor((2 * N) / 3)})`,
          `\\set c random(${Math.floor((2 * N) / 3) + 1}, ${N})`,
        ];
  return `${ids.join("\n")}
BEGIN;
INSERT INTO bills (customer_name, store_name, subtotal, total_amount, idempotency_key, request_hash)
  SELECT 'Bench customer', 'Bench store', 0, 0, k, encode(sha256(convert_to(k, 'UTF8')), 'hex') FROM (SELECT gen_random_uuid()::text AS k) x
  ON CONFLICT (idempotency_key) DO NOTHING RETURNING id AS bill_id \\gset
SELECT id, name, unit, unit_price, stock_qty, is_active FROM items WHERE id = ANY(ARRAY[:a::int, :b::int, :c::int]) ORDER BY id FOR UPDATE;
WITH sold AS (
  SELECT * FROM unnest(ARRAY[:a::int, :b::int, :c::int], ARRAY[${QUANTITIES.join(", ")}]::numeric[], ARRAY[0, 1, 2]) AS s(item_id, quantity, position)
), upd AS (
  UPDATE items i SET stock_qty = i.stock_qty - s.quantity, updated_at = now()
  FROM sold s WHERE i.id = s.item_id AND i.stock_qty >= s.quantity
  RETURNING i.id, i.name, i.unit, i.unit_price, i.stock_qty, s.quantity, round(i.unit_price * s.quantity, 2) AS line_total, s.position
), moves AS (
  INSERT INTO stock_movements (item_id, quantity, stock_after, reason, bill_id)
  SELECT id, -quantity, stock_qty, 'sale', :bill_id::int FROM upd
), totals AS (
  UPDATE bills SET subtotal = (SELECT sum(line_total) FROM upd), total_amount = (SELECT sum(line_total) FROM upd) WHERE id = :bill_id::int
), pays AS (
  INSERT INTO bill_payments (bill_id, position, method, amount, tendered, change)
  SELECT :bill_id::int, 1, 'CASH', sum(line_total), sum(line_total), 0 FROM upd
)
INSERT INTO bill_items (bill_id, item_id, item_name, unit, unit_price, quantity, line_total, taxable_amount, charged_total)
SELECT :bill_id::int, id, name, unit, unit_price, quantity, line_total, line_total, line_total FROM upd ORDER BY position
RETURNING id, item_id;
COMMIT;
`;
}

// The one-round-trip sale (issue 16) under pgbench: one autocommit call of
// bill_sell_priced(), as createBill sends it. pgbench has no pricing code, so
// the same statement first reads the items (unlocked) to build the priced lines
// the API builds in TypeScript (untaxed here), then the function claims the key,
// locks, checks and writes.
function pgbenchOneStatementScript(mix: "random" | "hot"): string {
  const ids = pgbenchScript(mix).split("\nBEGIN;")[0]!;
  return `${ids}
WITH q AS (
  SELECT * FROM unnest(ARRAY[:a::int, :b::int, :c::int], ARRAY[${QUANTITIES.join(", ")}]::numeric[]) WITH ORDINALITY AS q(item_id, quantity, pos)
), l AS (
  SELECT q.pos, round(i.unit_price * q.quantity, 2) AS total,
         jsonb_build_object('item_id', i.id, 'item_name', i.name, 'sku', i.sku, 'unit', i.unit, 'unit_price', i.unit_price, 'quantity', q.quantity,
           'line_total', round(i.unit_price * q.quantity, 2), 'line_discount', 0, 'bill_discount_share', 0,
           'tax_rate_id', COALESCE(ir.id, cr.id), 'tax_rate_name', COALESCE(ir.name, cr.name), 'tax_rate_percent', COALESCE(ir.percent, cr.percent, 0),
           'taxable_amount', round(i.unit_price * q.quantity, 2), 'tax_amount', 0, 'charged_total', round(i.unit_price * q.quantity, 2),
           'category', i.category, 'unit_cost', i.unit_cost) AS line
  FROM q JOIN items i ON i.id = q.item_id
  LEFT JOIN tax_rates ir ON ir.id = i.tax_rate_id AND ir.is_active
  LEFT JOIN category_tax_rates c ON c.category_key = lower(btrim(i.category))
  LEFT JOIN tax_rates cr ON cr.id = c.tax_rate_id AND cr.is_active
), t AS (SELECT sum(total) AS total, jsonb_agg(line ORDER BY pos) AS lines FROM l)
SELECT r.bill_id FROM t, stores s, LATERAL bill_sell_priced(store_settings_version(s), NULL,
  jsonb_build_object('customer_name', 'Bench customer', 'store_name', 'Bench store', 'subtotal', t.total, 'total_amount', t.total,
    'idempotency_key', gen_random_uuid()::text, 'request_hash', 'bench', 'store_id', s.id, 'tax_breakdown', '[]'::jsonb, 'shop_header', '{}'::jsonb,
    'discount_total', 0, 'bill_discount_amount', 0, 'tax_total', 0, 'prices_include_tax', false, 'tax_rounding', 'PER_LINE', 'cash_rounding', 0, 'change_due', 0),
  t.lines, jsonb_build_array(jsonb_build_object('position', 1, 'method', 'CASH', 'amount', t.total, 'tendered', t.total, 'change', 0))) r
WHERE s.code = 'main';
`;
}


/** The bench owner's credentials (set once the API is up); an older baseline API ignores them. */
let auth: Record<string, string> = {};

function graphqlRequest(mix: "random" | "hot") {
  const ids = pickItems(mix);
  return {
    method: "POST",
    path: "/graphql",
    headers: { "content-type": "application/json", ...auth },
    body: JSON.stringify({
      operationName: "billing_create_bill",
      query: CREATE_BILL,
      variables: {
        customer_name: "Bench customer",
        store_name: "Bench store",
        items: ids.map((id, i) => ({ itemId: id, quantity: QUANTITIES[i] })),
        idempotency_key: crypto.randomUUID(),
      },
    }),
  };
}

function restRequest(mix: "random" | "hot") {
  const ids = pickItems(mix);
  return {
    method: "POST",
    path: "/bills",
    headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID(), ...auth },
    body: JSON.stringify({
      customer_name: "Bench customer",
      store_name: "Bench store",
      items: ids.map((id, i) => ({ item_id: id, quantity: Number(QUANTITIES[i]) })),
    }),
  };
}

// A complete sale: a line discount, a bill discount and two payments (the card pays 5.00, cash the rest with change).
const SALE_EXTRAS = {
  billDiscount: { kind: "PERCENT", value: "5" },
  payments: [
    { method: "CARD", amount: "5.00", reference: "4242" },
    { method: "CASH", amount: "100000" },
  ],
};
const LINE_DISCOUNT = { kind: "PERCENT", value: "10" };

function graphqlSaleRequest(mix: "random" | "hot") {
  const ids = pickItems(mix);
  return {
    method: "POST",
    path: "/graphql",
    headers: { "content-type": "application/json", ...auth },
    body: JSON.stringify({
      query: `mutation($input: CreateBillInput!) { createBill(input: $input) { __typename
        ... on CreateBillSuccess { replayed bill { id createdAt customerName storeName subtotal discountTotal taxTotal cashRounding totalAmount changeDue
          lines { itemId itemName unit unitPrice quantity lineTotal lineDiscount billDiscountShare taxRateName taxAmount chargedTotal }
          taxBreakdown { name percent taxableBase tax } payments { method amount tendered change reference } } }
        ... on Error { message code } } }`,
      variables: {
        input: {
          customerName: "Bench customer",
          storeName: "Bench store",
          lines: ids.map((id, i) => ({ itemId: id, quantity: QUANTITIES[i], ...(i === 0 ? { discount: LINE_DISCOUNT } : {}) })),
          idempotencyKey: crypto.randomUUID(),
          ...SALE_EXTRAS,
        },
      },
    }),
  };
}

function restSaleRequest(mix: "random" | "hot") {
  const ids = pickItems(mix);
  return {
    method: "POST",
    path: "/bills",
    headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID(), ...auth },
    body: JSON.stringify({
      customer_name: "Bench customer",
      store_name: "Bench store",
      items: ids.map((id, i) => ({ item_id: id, quantity: Number(QUANTITIES[i]), ...(i === 0 ? { discount: LINE_DISCOUNT } : {}) })),
      bill_discount: SALE_EXTRAS.billDiscount,
      payments: SALE_EXTRAS.payments,
    }),
  };
}

/** Runs `fn` with shifts on and one shift open (written directly: the bench measures sales, not the drawer). */
async function withOpenShift<T>(pool: import("pg").Pool, fn: () => Promise<T>): Promise<T> {
  await pool.query("UPDATE stores SET shifts_enabled = true");
  const { rows } = await pool.query<{ id: number }>(
    "INSERT INTO shifts (store_id, register, register_key, opening_float) SELECT id, 'Bench', 'bench', 0 FROM stores LIMIT 1 RETURNING id",
  );
  try {
    return await fn();
  } finally {
    await pool.query("UPDATE shifts SET status = 'CLOSED', closed_at = now(), expected_cash = 0, counted_cash = 0, variance = 0 WHERE id = $1", [rows[0]!.id]);
    await pool.query("UPDATE stores SET shifts_enabled = false");
  }
}

const graphqlOk = (status: number, body: string) => status === 200 && body.includes('"__typename":"CreateBillSuccess"');
const restOk = (status: number) => status === 201;

runBench(async () => {
  console.log(`StoreLite bills bench — ${new Date().toISOString()}`);
  console.log(`machine: ${machineInfo()}`);
  console.log(`${N.toLocaleString("en")} items, ${SECONDS} s per run, clients ${CLIENTS.join("/")}, mixes ${MIXES.join("/")}${Object.keys(apiEnv).length ? `, API env ${JSON.stringify(apiEnv)}` : ""}\n`);

  const db = await startBenchDb();
  await loadItems(db.pool, 1, N);
  await db.pool.query("UPDATE items SET stock_qty = 100000000 WHERE id = $1", [HOT_ITEM]); // the hot item never runs out
  // Tax: two rates by category (so most bills mix rates) and none for the rest; every bill pays it the same way.
  await db.pool.query(`INSERT INTO tax_rates (name, percent) VALUES ('GST', 17), ('Reduced', 5.5) ON CONFLICT (name) DO NOTHING`);
  await db.pool.query(`INSERT INTO category_tax_rates (category_key, category, tax_rate_id)
    SELECT lower(c), c, (SELECT id FROM tax_rates WHERE name = CASE WHEN c IN ('Dairy', 'Bakery', 'Baby Care') THEN 'Reduced' ELSE 'GST' END)
    FROM unnest('{Grocery,Dairy,Spices,Beverages,Bakery,Personal Care,Household,Baby Care}'::text[]) AS c ON CONFLICT DO NOTHING`);

  const pgbenchBin = PATHS.has("pgbench") ? findPgbench() : undefined;
  if (PATHS.has("pgbench") && !pgbenchBin) console.log(`\n${PGBENCH_MISSING}\n`);

  const api = await startApi(db.url, apiEnv, opts["api-node-arg"]);
  auth = api.headers;
  console.log(`API (pid ${api.pid}) at ${api.base}, from ${apiRoot}`);
  let baseline: RunningApi | undefined;
  if (opts.baseline) {
    baseline = await startServer(opts.baseline, "api/src/main.ts", db.url, apiEnv);
    console.log(`baseline API (pid ${baseline.pid}) at ${baseline.base}, from ${opts.baseline}`);
  }
  const apis: { suffix: string; server: RunningApi }[] = [...(baseline ? [{ suffix: "@baseline", server: baseline }] : []), { suffix: "", server: api }];

  let restAvailable = PATHS.has("rest");
  if (restAvailable) {
    const probe = await fetch(`${api.base}/bills`, { ...restRequest("random"), headers: restRequest("random").headers });
    if (probe.status !== 201) {
      console.log(`REST POST /bills answered ${probe.status} (${(await probe.text()).slice(0, 200)}): REST path skipped.`);
      restAvailable = false;
    }
  }

  // Warm-up (not recorded): JIT, pool connections, PostgreSQL caches.
  for (const { server } of apis) {
    await load({ url: server.base, connections: 8, seconds: 2, request: () => graphqlRequest("random"), ok: graphqlOk });
    if (restAvailable) await load({ url: server.base, connections: 8, seconds: 1, request: () => restRequest("random"), ok: restOk });
  }
  console.log("warmed up\n");

  type Row = { mix: string; clients: number; path: string; m: Measured; base?: Measured; apiCpu?: number; pgCpu: number; genCpu?: number };
  const rows: Row[] = [];
  const show = (r: Row) => {
    const ratio = r.base ? fmt.ratio(r.m.rate / r.base.rate) : "";
    const p99r = r.base ? fmt.ratio(r.m.p99 / r.base.p99) : "";
    const cpu = `  CPU/bill: ${r.apiCpu !== undefined ? `API ${fmt.ms(r.apiCpu)} ms, ` : ""}PostgreSQL ${fmt.ms(r.pgCpu)} ms`;
    console.log(
      `${r.mix.padEnd(6)} ${String(r.clients).padStart(3)} clients  ${r.path.padEnd(16)} ${fmt.rate(r.m.rate).padStart(6)} bills/s  p50 ${fmt.ms(r.m.p50).padStart(6)} ms  p99 ${fmt.ms(r.m.p99).padStart(6)} ms${ratio ? `  = ${ratio} pgbench, p99 ${p99r}` : ""}${cpu}${r.m.failed ? `  (${r.m.failed} failed)` : ""}`,
    );
  };
  /** Runs one measurement and charges the CPU the API and PostgreSQL used to its bills. */
  const measure = async (mix: string, clients: number, path: string, run: () => Promise<Measured>, base?: Measured, server = api) => {
    const api0 = processCpuMs(server.pid);
    const pg0 = postgresCpuMs(db.dataDir);
    const gen0 = process.cpuUsage(); // autocannon runs in this process, on the same cores
    const m = await run();
    const bills = m.ok || NaN;
    const row: Row = { mix, clients, path, m, pgCpu: (postgresCpuMs(db.dataDir) - pg0) / bills, ...(base ? { base } : {}) };
    if (!path.startsWith("pgbench")) {
      row.apiCpu = (processCpuMs(server.pid) - api0) / bills;
      const gen = process.cpuUsage(gen0);
      row.genCpu = (gen.user + gen.system) / 1000 / bills;
    }
    rows.push(row);
    show(row);
    if (m.sampleFailure) console.log(`  first failure: ${m.sampleFailure}`);
    return m;
  };

  for (const mix of MIXES) {
    for (const clients of CLIENTS) {
      let base: Measured | undefined;
      if (pgbenchBin) {
        base = await measure(mix, clients, "pgbench", () => pgbench(pgbenchBin, db, { script: pgbenchScript(mix), clients, seconds: SECONDS }));
        if (PATHS.has("pgbench-1rt")) {
          await measure(mix, clients, "pgbench-1rt", () => pgbench(pgbenchBin, db, { script: pgbenchOneStatementScript(mix), clients, seconds: SECONDS }));
        }
      }
      for (const { suffix, server } of PATHS.has("graphql") ? apis : []) {
        const run = () => load({ url: server.base, connections: clients, seconds: SECONDS, request: () => graphqlRequest(mix), ok: graphqlOk });
        await measure(mix, clients, `graphql${suffix}`, run, base, server);
      }
      for (const { suffix, server } of PATHS.has("graphql-shift") ? apis : []) {
        const run = () => load({ url: server.base, connections: clients, seconds: SECONDS, request: () => graphqlRequest(mix), ok: graphqlOk });
        await withOpenShift(db.pool, () => measure(mix, clients, `graphql-shift${suffix}`, run, base, server));
      }
      for (const { suffix, server } of PATHS.has("graphql-sale") ? apis : []) {
        const run = () => load({ url: server.base, connections: clients, seconds: SECONDS, request: () => graphqlSaleRequest(mix), ok: graphqlOk });
        await measure(mix, clients, `graphql-sale${suffix}`, run, base, server);
      }
      for (const { suffix, server } of restAvailable ? apis : []) {
        const run = () => load({ url: server.base, connections: clients, seconds: SECONDS, request: () => restRequest(mix), ok: restOk });
        await measure(mix, clients, `rest${suffix}`, run, base, server);
      }
      for (const { suffix, server } of restAvailable && PATHS.has("rest-sale") ? apis : []) {
        const run = () => load({ url: server.base, connections: clients, seconds: SECONDS, request: () => restSaleRequest(mix), ok: restOk });
        await measure(mix, clients, `rest-sale${suffix}`, run, base, server);
      }
    }
  }

  // The books must still balance after all that load (a cheap sanity check).
  const { rows: books } = await db.pool.query<{ bills: string; bad_totals: string; ledger_mismatch: string }>(`
    SELECT (SELECT count(*) FROM bills) AS bills,
           (SELECT count(*) FROM bills b WHERE b.total_amount <> b.cash_rounding + (SELECT coalesce(sum(charged_total), 0) FROM bill_items WHERE bill_id = b.id)
              OR b.total_amount <> (SELECT coalesce(sum(amount), 0) FROM bill_payments WHERE bill_id = b.id)) AS bad_totals,
           (SELECT count(*) FROM bill_items bi WHERE NOT EXISTS (
              SELECT 1 FROM stock_movements m WHERE m.bill_id = bi.bill_id AND m.item_id = bi.item_id AND m.quantity = -bi.quantity)) AS ledger_mismatch`);
  const b = books[0]!;

  console.log("\nSummary (ratio = API bills/s ÷ pgbench bills/s; p99× = API p99 ÷ pgbench p99; CPU = milliseconds of CPU per bill)\n");
  console.log(
    table(
      ["mix", "clients", "path", "bills/s", "p50 ms", "p99 ms", "ratio", "p99×", "API CPU ms/bill", "PG CPU ms/bill", "loadgen CPU ms/bill", "failed"],
      rows.map((r) => [
        r.mix,
        String(r.clients),
        r.path,
        fmt.rate(r.m.rate),
        fmt.ms(r.m.p50),
        fmt.ms(r.m.p99),
        r.base ? fmt.ratio(r.m.rate / r.base.rate) : "",
        r.base ? fmt.ratio(r.m.p99 / r.base.p99) : "",
        r.apiCpu !== undefined ? fmt.ms(r.apiCpu) : "",
        fmt.ms(r.pgCpu),
        r.genCpu !== undefined ? fmt.ms(r.genCpu) : "",
        String(r.m.failed),
      ]),
    ),
  );
  // The targets (issue 16): random items at 16 clients ≥ 0.5× and p99 ≤ 2×; one hot item ≥ 0.8×; against each pgbench script.
  for (const [mix, share, p99Max] of [["random", 0.5, 2], ["hot", 0.8, Infinity]] as const) {
    const g16 = rows.find((r) => r.mix === mix && r.clients === 16 && r.path === "graphql");
    for (const pg of rows.filter((r) => r.mix === mix && r.clients === 16 && r.path.startsWith("pgbench"))) {
      if (!g16) continue;
      const ok = g16.m.rate >= share * pg.m.rate && g16.m.p99 <= p99Max * pg.m.p99;
      console.log(
        `${mix === "random" ? "\n" : ""}Target (${mix}, 16 clients, vs ${pg.path}): GraphQL ≥ ${share}× ${p99Max === Infinity ? "" : `and p99 ≤ ${p99Max}× `}→ ${fmt.ratio(g16.m.rate / pg.m.rate)}, p99 ${fmt.ratio(g16.m.p99 / pg.m.p99)}: ${ok ? "met" : "not met"}`,
      );
    }
  }
  // A complete sale against a plain one on the same server (target: within 15% of its bills/s).
  // With shifts on (one open shift that every sale share-locks) against shifts off, same server, same run.
  for (const [plain, sale] of [["graphql", "graphql-shift"], ["graphql", "graphql-sale"], ["rest", "rest-sale"]] as const) {
    for (const r of rows.filter((x) => x.path === plain)) {
      const s = rows.find((x) => x.path === sale && x.mix === r.mix && x.clients === r.clients);
      if (s) console.log(`${r.mix} ${r.clients} clients: ${sale} ${fmt.rate(s.m.rate)} vs ${plain} ${fmt.rate(r.m.rate)} bills/s = ${fmt.ratio(s.m.rate / r.m.rate)}`);
    }
  }
  console.log(`Books after the run: ${Number(b.bills).toLocaleString("en")} bills, ${b.bad_totals} with a wrong total, ${b.ledger_mismatch} lines without their ledger row.`);
});
