// `npm run bench:reports`: two years of a busy shop (default 1M bills, ~3M
// lines, 20k items, with discounts, tax, payments and four cashiers, generated
// with generate_series in SQL with the triggers off, then the report rollups
// rebuilt), then every report through GraphQL (the real API process) and the
// SQL that report runs (on the rollups), bare on a pool, one request at a
// time: p50 / p99 of each, and the raw-rows SQL of the same report for scale;
// then createBill with the report triggers on and off, to show what they cost a sale.
import { parseArgs } from "node:util";
import { SALES_SUMMARY_ROLLUP_SQL, SALES_SUMMARY_SQL } from "../api/src/domain/reports/sales-summary.ts";
import { TOP_ITEMS_SQL, topItemsRollupQuery } from "../api/src/domain/reports/top-items.ts";
import { REVENUE_BY_CATEGORY_ROLLUP_SQL, REVENUE_BY_CATEGORY_SQL } from "../api/src/domain/reports/revenue-by-category.ts";
import { SALES_BY_HOUR_ROLLUP_SQL, SALES_BY_HOUR_SQL } from "../api/src/domain/reports/sales-by-hour.ts";
import { CASHIERS_ROLLUP_SQL, CASHIERS_SQL } from "../api/src/domain/reports/cashiers.ts";
import { TAX_BY_RATE_ROLLUP_SQL, TAX_BY_RATE_SQL } from "../api/src/domain/reports/tax-by-rate.ts";
import { PAYMENTS_BY_METHOD_ROLLUP_SQL, PAYMENTS_BY_METHOD_SQL } from "../api/src/domain/reports/payments-by-method.ts";
import { STOCK_VALUATION_SQL } from "../api/src/domain/reports/stock-valuation.ts";
import { SLOW_MOVERS_ROLLUP_SQL, SLOW_MOVERS_SQL } from "../api/src/domain/reports/slow-movers.ts";
import { bucketParams, periodDates, shopDate } from "../api/src/domain/reports/range.ts";
import { LOW_STOCK_ITEMS } from "../api/src/domain/thresholds.ts";
import { startApi } from "./lib/api.ts";
import { CREATE_BILL, graphqlBody, graphqlDataOk } from "./lib/graphql.ts";
import { runBench } from "./lib/cleanup.ts";
import { loadItems, startBenchDb } from "./lib/db.ts";
import { fmt, machineInfo, percentile, table } from "./lib/stats.ts";

const { values: opts } = parseArgs({
  options: {
    bills: { type: "string", default: "1000000" },
    items: { type: "string", default: "20000" },
    days: { type: "string", default: "730" },
    runs: { type: "string", default: "30" },
    "raw-runs": { type: "string", default: "3" },
    /** Rounds of createBill with the report triggers on, then off (40 bills each), interleaved. */
    "sale-rounds": { type: "string", default: "12" },
  },
});
const BILLS = Number(opts.bills);
const ITEMS = Number(opts.items);
const DAYS = Number(opts.days);
const RUNS = Number(opts.runs);
const RAW_RUNS = Number(opts["raw-runs"]);
const SALE_ROUNDS = Number(opts["sale-rounds"]);
const TZ = "Asia/Karachi";

runBench(async () => {
  console.log(`StoreLite reports bench — ${new Date().toISOString()}`);
  console.log(`machine: ${machineInfo()}`);
  const db = await startBenchDb();
  await loadItems(db.pool, 1, ITEMS);
  await db.pool.query("UPDATE items SET unit_cost = round(unit_price * 0.7, 2) WHERE id % 10 <> 0");

  let t = Date.now();
  // The triggers (rollups, foreign keys) are off for the load, the rollups rebuilt after it. Bills
  // name four cashiers (staff 101–104, added once the API has made its owner on the empty shop).
  const load = await db.pool.connect();
  try {
    await load.query("SET session_replication_role = replica");
    // Bills spread over the last DAYS days; 1–5 lines each (3 on average).
    await load.query(
      `INSERT INTO bills (id, subtotal, total_amount, created_at, cashier_id)
       SELECT g, 0, 0, now() - make_interval(secs => (g::bigint * 7919 % ($2::bigint * 86400))), 101 + g % 4 FROM generate_series(1, $1::int) g`,
      [BILLS, DAYS],
    );
    await load.query(`SELECT setval('bills_id_seq', $1)`, [BILLS]);
    // Every tenth bill has 5% off each line; a third of the items carry 17% GST on top.
    await load.query(
      `INSERT INTO bill_items (bill_id, item_id, item_name, unit, unit_price, quantity, line_total, category, unit_cost,
                               line_discount, taxable_amount, tax_rate_name, tax_rate_percent, tax_amount, charged_total)
       SELECT b, i.id, i.name, i.unit, i.unit_price, q.qty, m.line_total, i.category, i.unit_cost,
              m.discount, m.line_total - m.discount, CASE WHEN i.id % 3 = 0 THEN 'GST' END, m.rate,
              round((m.line_total - m.discount) * m.rate / 100, 2), m.line_total - m.discount + round((m.line_total - m.discount) * m.rate / 100, 2)
       FROM generate_series(1, $1::int) b
       CROSS JOIN LATERAL generate_series(1, 1 + (b * 31 % 5)) l
       CROSS JOIN LATERAL (SELECT 1 + ((b::bigint * 104729 + l * 7919) % $2)::int AS item_id) pick
       JOIN items i ON i.id = pick.item_id
       CROSS JOIN LATERAL (SELECT (1 + (b + l) % 4)::numeric AS qty) q
       CROSS JOIN LATERAL (SELECT round(i.unit_price * q.qty, 2) AS line_total,
                                  CASE WHEN b % 10 = 0 THEN round(round(i.unit_price * q.qty, 2) * 0.05, 2) ELSE 0 END AS discount,
                                  CASE WHEN i.id % 3 = 0 THEN 17 ELSE 0 END::numeric AS rate) m`,
      [BILLS, ITEMS],
    );
    await load.query(
      `UPDATE bills b SET subtotal = s.gross, discount_total = s.discounts, tax_total = s.tax, total_amount = s.total
       FROM (SELECT bill_id, sum(line_total) AS gross, sum(line_discount) AS discounts, sum(tax_amount) AS tax, sum(charged_total) AS total FROM bill_items GROUP BY bill_id) s
       WHERE s.bill_id = b.id`,
    );
    // A third paid by card, the rest in cash (handed over exactly).
    await load.query(
      `INSERT INTO bill_payments (bill_id, position, method, amount, tendered, change)
       SELECT id, 0, m.method, total_amount, CASE WHEN m.method = 'CASH' THEN total_amount END, 0
       FROM bills CROSS JOIN LATERAL (SELECT (CASE WHEN id % 3 = 0 THEN 'CARD' ELSE 'CASH' END)::payment_method AS method) m`,
    );
  } finally {
    await load.query("RESET session_replication_role");
    load.release();
  }
  for (const table of ["bills", "bill_items", "bill_payments", "items"]) await db.pool.query(`VACUUM ANALYZE ${table}`);
  const { rows: counts } = await db.pool.query("SELECT (SELECT count(*) FROM bills)::int AS bills, (SELECT count(*) FROM bill_items)::int AS lines");
  console.log(`generated ${counts[0].bills.toLocaleString("en")} bills, ${counts[0].lines.toLocaleString("en")} lines, ${ITEMS.toLocaleString("en")} items in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  t = Date.now();
  await db.pool.query("SELECT report_rollups_rebuild($1)", [TZ]);
  for (const table of ["report_sales", "report_items", "report_payments", "report_last_sales", "report_item_prefix"]) await db.pool.query(`VACUUM ANALYZE ${table}`);
  const { rows: sizes } = await db.pool.query(
    `SELECT (SELECT count(*) FROM report_sales)::int AS sales, (SELECT count(*) FROM report_items)::int AS items, (SELECT count(*) FROM report_payments)::int AS payments`,
  );
  console.log(
    `rebuilt the report rollups in ${((Date.now() - t) / 1000).toFixed(1)} s: ${sizes[0].sales.toLocaleString("en")} day×hour×staff rows, ${sizes[0].items.toLocaleString("en")} item rows (day and month), ${sizes[0].payments.toLocaleString("en")} payment rows\n`,
  );

  const api = await startApi(db.url, { STORELITE_TIME_ZONE: TZ, STORELITE_ALERTS: "false" });
  await db.pool.query(
    `INSERT INTO staff (id, display_name, username, role, password_hash) SELECT 100 + g, 'Cashier ' || g, 'cashier' || g, 'CASHIER', 'x' FROM generate_series(1, 4) g`,
  );
  // Last month and the last 12 whole months, as instants (raw SQL) and as shop days (rollups).
  const { rows: r } = await db.pool.query<{ from: Date; to: Date; yfrom: Date; from_day: string; to_day: string; yfrom_day: string; y2from_day: string; odd_from: string; odd_to: string }>(
    `WITH m AS (SELECT date_trunc('month', now() AT TIME ZONE $1) AS this_month)
     SELECT (this_month - interval '1 month') AT TIME ZONE $1 AS from, this_month AT TIME ZONE $1 AS to, (this_month - interval '12 months') AT TIME ZONE $1 AS yfrom,
            to_char(this_month - interval '1 month', 'YYYY-MM-DD') AS from_day, to_char(this_month, 'YYYY-MM-DD') AS to_day,
            to_char(this_month - interval '12 months', 'YYYY-MM-DD') AS yfrom_day, to_char(this_month - interval '24 months', 'YYYY-MM-DD') AS y2from_day,
            to_char(this_month - interval '12 months' + interval '11 days', 'YYYY-MM-DD') AS odd_from, to_char(this_month - interval '1 month' + interval '25 days', 'YYYY-MM-DD') AS odd_to FROM m`,
    [TZ],
  );
  const { from, to, yfrom } = r[0]!;
  const month = { from: r[0]!.from_day, to: r[0]!.to_day };
  const year = { from: r[0]!.yfrom_day, to: r[0]!.to_day };
  const twoYears = { from: r[0]!.y2from_day, to: r[0]!.to_day };
  // About 11 months from a 12th to a 26th: each bound 3–4 days from the nearest boundary of the cumulative totals.
  const odd = { from: r[0]!.odd_from, to: r[0]!.odd_to };
  const [last30From, last30To] = periodDates("LAST_30_DAYS", shopDate(TZ));
  const last30 = { from: last30From, to: last30To };
  const gql = (query: string) => JSON.stringify({ query });
  const rollup = ([sql, params]: [string, unknown[]]) => ({ sql, params });
  type Case = { name: string; graphql: string; sql: string; params: unknown[]; raw?: { sql: string; params: unknown[] } };
  const cases: Case[] = [
    { name: "sales summary, last month by day", graphql: gql(`{ salesSummary(period: LAST_MONTH) { ... on SalesSummarySuccess { report { totals { net margin } rows { period net } } } } }`), sql: SALES_SUMMARY_ROLLUP_SQL, params: [month.from, month.to, "day"], raw: { sql: SALES_SUMMARY_SQL, params: [from, to, "day", TZ] } },
    { name: "sales summary, 12 months by month", graphql: gql(`{ salesSummary(from: "${year.from}", to: "${year.to}", groupBy: MONTH) { ... on SalesSummarySuccess { report { totals { net } rows { period net } } } } }`), sql: SALES_SUMMARY_ROLLUP_SQL, params: [year.from, year.to, "month"], raw: { sql: SALES_SUMMARY_SQL, params: [yfrom, to, "month", TZ] } },
    { name: "top 10 items by revenue, last month", graphql: gql(`{ topItems(period: LAST_MONTH, by: REVENUE) { ... on TopItemsSuccess { report { rows { itemName revenue } } } } }`), ...rollup(topItemsRollupQuery(month, null, "REVENUE", 10)), raw: { sql: TOP_ITEMS_SQL, params: [from, to, null, "revenue", 10] } },
    { name: "top 10 items by quantity, 12 months", graphql: gql(`{ topItems(from: "${year.from}", to: "${year.to}") { ... on TopItemsSuccess { report { rows { itemName quantity } } } } }`), ...rollup(topItemsRollupQuery(year, null, "QUANTITY", 10)) },
    { name: "top 10 items by quantity, 24 months", graphql: gql(`{ topItems(from: "${twoYears.from}", to: "${twoYears.to}") { ... on TopItemsSuccess { report { rows { itemName quantity } } } } }`), ...rollup(topItemsRollupQuery(twoYears, null, "QUANTITY", 10)) },
    { name: `top 10 items by quantity, ${odd.from.slice(5)}..${odd.to.slice(5)}`, graphql: gql(`{ topItems(from: "${odd.from}", to: "${odd.to}") { ... on TopItemsSuccess { report { rows { itemName quantity } } } } }`), ...rollup(topItemsRollupQuery(odd, null, "QUANTITY", 10)) },
    { name: "top 10 items by quantity, last 30 days", graphql: gql(`{ topItems(period: LAST_30_DAYS) { ... on TopItemsSuccess { report { rows { itemName quantity } } } } }`), ...rollup(topItemsRollupQuery(last30, null, "QUANTITY", 10)) },
    { name: "revenue by category, last month", graphql: gql(`{ revenueByCategory(period: LAST_MONTH) { ... on RevenueByCategorySuccess { report { total rows { category revenue } } } } }`), sql: REVENUE_BY_CATEGORY_ROLLUP_SQL, params: bucketParams(month), raw: { sql: REVENUE_BY_CATEGORY_SQL, params: [from, to] } },
    { name: "sales by hour, last month", graphql: gql(`{ salesByHour(period: LAST_MONTH) { ... on SalesByHourSuccess { report { rows { hour bills } } } } }`), sql: SALES_BY_HOUR_ROLLUP_SQL, params: [month.from, month.to], raw: { sql: SALES_BY_HOUR_SQL, params: [from, to, TZ] } },
    { name: "sales per cashier, last month", graphql: gql(`{ salesByCashier(period: LAST_MONTH) { ... on SalesByCashierSuccess { report { rows { name net } } } } }`), sql: CASHIERS_ROLLUP_SQL, params: [month.from, month.to], raw: { sql: CASHIERS_SQL, params: [from, to] } },
    { name: "tax by rate, last month", graphql: gql(`{ taxByRate(period: LAST_MONTH) { ... on TaxByRateSuccess { report { tax rows { name tax } } } } }`), sql: TAX_BY_RATE_ROLLUP_SQL, params: bucketParams(month), raw: { sql: TAX_BY_RATE_SQL, params: [from, to] } },
    { name: "payments by method, last month", graphql: gql(`{ paymentsByMethod(period: LAST_MONTH) { ... on PaymentsByMethodSuccess { report { amount rows { method amount } } } } }`), sql: PAYMENTS_BY_METHOD_ROLLUP_SQL, params: [month.from, month.to], raw: { sql: PAYMENTS_BY_METHOD_SQL, params: [from, to] } },
    { name: "stock valuation", graphql: gql(`{ stockValuation { costValue rows { category costValue } } }`), sql: STOCK_VALUATION_SQL, params: [] },
    { name: "slow movers, 30 days", graphql: gql(`{ slowMovers(days: 30) { ... on SlowMoversSuccess { report { rows { item { id } } } } } }`), sql: SLOW_MOVERS_ROLLUP_SQL, params: [30, 50], raw: { sql: SLOW_MOVERS_SQL, params: [30, 50] } },
    { name: "low stock list", graphql: gql(`{ lowStockItems { id } }`), sql: `SELECT id FROM ${LOW_STOCK_ITEMS}`, params: [] },
  ];

  const rows: string[][] = [];
  for (const c of cases) {
    const time = async (fn: () => Promise<void>, runs = RUNS) => {
      await fn(); // warm
      const ms: number[] = [];
      for (let i = 0; i < runs; i++) {
        const s = performance.now();
        await fn();
        ms.push(performance.now() - s);
      }
      return ms.sort((a, b) => a - b);
    };
    const viaGraphql = await time(async () => {
      const res = await fetch(`${api.base}/graphql`, { method: "POST", headers: { ...api.headers, "content-type": "application/json" }, body: c.graphql });
      const text = await res.text();
      // A refusal or a bad range is a typed result the query selects nothing of ({}): only a report counts.
      if (res.status !== 200 || text.includes('"errors"') || text.includes(":{}")) throw new Error(`${c.name}: ${text.slice(0, 300)}`);
    });
    const bare = await time(async () => {
      await db.pool.query(c.sql, c.params);
    });
    const raw = c.raw && RAW_RUNS > 0 ? await time(async () => void (await db.pool.query(c.raw!.sql, c.raw!.params)), RAW_RUNS) : null;
    rows.push([
      c.name,
      fmt.ms(percentile(bare, 50)),
      fmt.ms(percentile(bare, 99)),
      fmt.ms(percentile(viaGraphql, 50)),
      fmt.ms(percentile(viaGraphql, 99)),
      `${(percentile(viaGraphql, 99) / percentile(bare, 99)).toFixed(2)}×`,
      raw ? fmt.ms(percentile(raw, 50)) : "",
    ]);
    console.log(`  ${c.name}: done`);
  }
  console.log(`\n${RUNS} runs each (raw rows: ${RAW_RUNS}), one at a time (ms); SQL = the report's SQL on the rollups, bare on a pool:\n`);
  console.log(table(["report", "SQL p50", "SQL p99", "GraphQL p50", "GraphQL p99", "GraphQL/SQL p99", "raw rows p50"], rows));

  // What the rollup triggers cost a sale: createBill of 3 lines through GraphQL, one at a time, rounds
  // with the report triggers enabled and disabled alternating on the same database.
  if (SALE_ROUNDS > 0) {
    const triggers = [["bills", "report_bills_inserted"], ["bills", "report_bills_updated"], ["bill_items", "report_lines_inserted"], ["bill_payments", "report_payments_inserted"]];
    const setTriggers = async (on: boolean) => {
      for (const [tbl, trg] of triggers) await db.pool.query(`ALTER TABLE ${tbl} ${on ? "ENABLE" : "DISABLE"} TRIGGER ${trg}`);
    };
    let n = 0;
    const sale = async () => {
      n++;
      const items = [0, 1, 2].map((k) => ({ itemId: 1 + ((n * 7919 + k * 104729) % ITEMS), quantity: "1" }));
      const res = await fetch(`${api.base}/graphql`, {
        method: "POST",
        headers: { ...api.headers, "content-type": "application/json" },
        body: graphqlBody("billing_create_bill", CREATE_BILL, { items, idempotency_key: `bench-${n}` }),
      });
      const text = await res.text();
      if (!graphqlDataOk(res.status, text) || !text.includes("CreateBillSuccess")) throw new Error(`createBill: ${text.slice(0, 300)}`);
    };
    const ms = { on: [] as number[], off: [] as number[] };
    for (let round = 0; round < SALE_ROUNDS * 2; round++) {
      const on = round % 2 === 0;
      await setTriggers(on);
      for (let i = 0; i < 40; i++) {
        const s = performance.now();
        await sale();
        (on ? ms.on : ms.off).push(performance.now() - s);
      }
    }
    await setTriggers(true);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    for (const xs of [ms.on, ms.off]) xs.sort((a, b) => a - b);
    console.log(`\ncreateBill (3 lines, GraphQL, one at a time), ${SALE_ROUNDS} rounds of 40 bills each way, interleaved (ms):\n`);
    console.log(
      table(
        ["report triggers", "mean", "p50", "p99"],
        [
          ["on", fmt.ms(mean(ms.on)), fmt.ms(percentile(ms.on, 50)), fmt.ms(percentile(ms.on, 99))],
          ["off", fmt.ms(mean(ms.off)), fmt.ms(percentile(ms.off, 50)), fmt.ms(percentile(ms.off, 99))],
        ],
      ),
    );
    console.log(`on/off: ${(mean(ms.on) / mean(ms.off)).toFixed(2)}× (mean), ${(percentile(ms.on, 50) / percentile(ms.off, 50)).toFixed(2)}× (p50)`);
  }
});
