// `npm run bench:reports`: two years of a busy shop (default 1M bills, ~3M
// lines, 20k items, generated with generate_series in SQL), then every report
// through GraphQL (the real API process) and the same report's SQL run bare
// on a pool, one request at a time: p50 / p99 of each.
import { parseArgs } from "node:util";
import { SALES_SUMMARY_SQL } from "../api/src/domain/reports/sales-summary.ts";
import { TOP_ITEMS_SQL } from "../api/src/domain/reports/top-items.ts";
import { REVENUE_BY_CATEGORY_SQL } from "../api/src/domain/reports/revenue-by-category.ts";
import { SALES_BY_HOUR_SQL } from "../api/src/domain/reports/sales-by-hour.ts";
import { STOCK_VALUATION_SQL } from "../api/src/domain/reports/stock-valuation.ts";
import { SLOW_MOVERS_SQL } from "../api/src/domain/reports/slow-movers.ts";
import { startApi } from "./lib/api.ts";
import { runBench } from "./lib/cleanup.ts";
import { loadItems, startBenchDb } from "./lib/db.ts";
import { fmt, machineInfo, percentile, table } from "./lib/stats.ts";

const { values: opts } = parseArgs({
  options: {
    bills: { type: "string", default: "1000000" },
    items: { type: "string", default: "20000" },
    days: { type: "string", default: "730" },
    runs: { type: "string", default: "30" },
  },
});
const BILLS = Number(opts.bills);
const ITEMS = Number(opts.items);
const DAYS = Number(opts.days);
const RUNS = Number(opts.runs);
const TZ = "Asia/Karachi";

runBench(async () => {
  console.log(`StoreLite reports bench — ${new Date().toISOString()}`);
  console.log(`machine: ${machineInfo()}`);
  const db = await startBenchDb();
  await loadItems(db.pool, 1, ITEMS);
  await db.pool.query("UPDATE items SET unit_cost = round(unit_price * 0.7, 2) WHERE id % 10 <> 0");

  let t = Date.now();
  // Bills spread over the last DAYS days, busier in the afternoon; 1–5 lines each (3 on average).
  await db.pool.query(
    `INSERT INTO bills (id, subtotal, total_amount, created_at)
     SELECT g, 0, 0, now() - make_interval(secs => (g::bigint * 7919 % ($2::bigint * 86400))) FROM generate_series(1, $1::int) g`,
    [BILLS, DAYS],
  );
  await db.pool.query(`SELECT setval('bills_id_seq', $1)`, [BILLS]);
  await db.pool.query(
    `INSERT INTO bill_items (bill_id, item_id, item_name, unit, unit_price, quantity, line_total, category, unit_cost)
     SELECT b, i.id, i.name, i.unit, i.unit_price, q.qty, round(i.unit_price * q.qty, 2), i.category, i.unit_cost
     FROM generate_series(1, $1::int) b
     CROSS JOIN LATERAL generate_series(1, 1 + (b * 31 % 5)) l
     CROSS JOIN LATERAL (SELECT 1 + ((b::bigint * 104729 + l * 7919) % $2)::int AS item_id) pick
     JOIN items i ON i.id = pick.item_id
     CROSS JOIN LATERAL (SELECT (1 + (b + l) % 4)::numeric AS qty) q`,
    [BILLS, ITEMS],
  );
  await db.pool.query(
    `UPDATE bills b SET subtotal = s.total, total_amount = s.total FROM (SELECT bill_id, sum(line_total) AS total FROM bill_items GROUP BY bill_id) s WHERE s.bill_id = b.id`,
  );
  for (const table of ["bills", "bill_items", "items"]) await db.pool.query(`VACUUM ANALYZE ${table}`);
  const { rows: counts } = await db.pool.query("SELECT (SELECT count(*) FROM bills)::int AS bills, (SELECT count(*) FROM bill_items)::int AS lines");
  console.log(`generated ${counts[0].bills.toLocaleString("en")} bills, ${counts[0].lines.toLocaleString("en")} lines, ${ITEMS.toLocaleString("en")} items in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);

  const api = await startApi(db.url, { STORELITE_TIME_ZONE: TZ, STORELITE_ALERTS: "false" });
  const { rows: r } = await db.pool.query<{ from: Date; to: Date; yfrom: Date }>(
    `SELECT (date_trunc('month', now() AT TIME ZONE $1) - interval '1 month') AT TIME ZONE $1 AS from,
            date_trunc('month', now() AT TIME ZONE $1) AT TIME ZONE $1 AS to,
            (date_trunc('month', now() AT TIME ZONE $1) - interval '12 months') AT TIME ZONE $1 AS yfrom`,
    [TZ],
  );
  const { from, to, yfrom } = r[0]!;
  const gql = (query: string) => JSON.stringify({ query });
  const cases: { name: string; graphql: string; sql: string; params: unknown[] }[] = [
    { name: "sales summary, last month by day", graphql: gql(`{ salesSummary(period: LAST_MONTH) { ... on SalesSummarySuccess { report { totals { net margin } rows { period net } } } } }`), sql: SALES_SUMMARY_SQL, params: [from, to, "day", TZ] },
    { name: "sales summary, 12 months by month", graphql: gql(`{ salesSummary(from: "${yfrom.toISOString()}", to: "${to.toISOString()}", groupBy: MONTH) { ... on SalesSummarySuccess { report { totals { net } rows { period net } } } } }`), sql: SALES_SUMMARY_SQL, params: [yfrom, to, "month", TZ] },
    { name: "top 10 items by revenue, last month", graphql: gql(`{ topItems(period: LAST_MONTH, by: REVENUE) { ... on TopItemsSuccess { report { rows { itemName revenue } } } } }`), sql: TOP_ITEMS_SQL, params: [from, to, null, "revenue", 10] },
    { name: "revenue by category, last month", graphql: gql(`{ revenueByCategory(period: LAST_MONTH) { ... on RevenueByCategorySuccess { report { total rows { category revenue } } } } }`), sql: REVENUE_BY_CATEGORY_SQL, params: [from, to] },
    { name: "sales by hour, last month", graphql: gql(`{ salesByHour(period: LAST_MONTH) { ... on SalesByHourSuccess { report { rows { hour bills } } } } }`), sql: SALES_BY_HOUR_SQL, params: [from, to, TZ] },
    { name: "stock valuation", graphql: gql(`{ stockValuation { costValue rows { category costValue } } }`), sql: STOCK_VALUATION_SQL, params: [] },
    { name: "slow movers, 30 days", graphql: gql(`{ slowMovers(days: 30) { ... on SlowMoversSuccess { report { rows { item { id } } } } } }`), sql: SLOW_MOVERS_SQL, params: [30, 50] },
    { name: "low stock list", graphql: gql(`{ lowStockItems { id } }`), sql: "SELECT id FROM items WHERE is_active AND stock_qty <= item_reorder_point(reorder_point, category)", params: [] },
  ];

  const rows: string[][] = [];
  for (const c of cases) {
    const time = async (fn: () => Promise<void>) => {
      await fn(); // warm
      const ms: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const s = performance.now();
        await fn();
        ms.push(performance.now() - s);
      }
      return ms.sort((a, b) => a - b);
    };
    const viaGraphql = await time(async () => {
      const res = await fetch(`${api.base}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: c.graphql });
      const text = await res.text();
      if (res.status !== 200 || text.includes('"errors"')) throw new Error(`${c.name}: ${text.slice(0, 300)}`);
    });
    const bare = await time(async () => {
      await db.pool.query(c.sql, c.params);
    });
    rows.push([c.name, fmt.ms(percentile(bare, 50)), fmt.ms(percentile(bare, 99)), fmt.ms(percentile(viaGraphql, 50)), fmt.ms(percentile(viaGraphql, 99))]);
    console.log(`  ${c.name}: done`);
  }
  console.log(`\n${RUNS} runs each, one at a time (ms):\n`);
  console.log(table(["report", "SQL p50", "SQL p99", "GraphQL p50", "GraphQL p99"], rows));
});
