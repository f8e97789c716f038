// The report rollups against the raw rows: after a random workload (complete
// sales, bills moved in time, voids, returns), every report read from the
// rollups equals the same report computed from the bills and lines, before and
// after compaction, after a second workload on top of compacted rows, and the
// triggers' rows sum to what a rebuild from scratch computes. Some bills and
// returns are moved across a year, so long ranges read the cumulative item
// totals (report_item_prefix), which are checked against the month rows too.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/fixtures.ts";
import { rng, salesWorkload } from "../testing/report-workload.ts";
import { upkeepRound } from "../reports/upkeep.ts";
import { prefixBounds } from "./reports/range.ts";
import { paymentsByMethod, revenueByCategory, salesByCashier, salesByHour, salesSummary, slowMovers, taxByRate, topItems } from "./reports.ts";

const t = useTestDatabase(5);
const ZONE = "Asia/Karachi";
const random = rng(77);
const spread = rng(91); // its own stream, so the workloads stay as they were

afterEach(() => {
  delete process.env.STORELITE_TIME_ZONE;
  delete process.env.STORELITE_REPORT_ROLLUPS;
});

/** Moves about half the bills after `afterBill` and their returns to random instants from February 2026 to March 2027. */
async function spreadOverMonths(afterBill: number) {
  const at = () => new Date(Date.UTC(2026, 1, 1) + Math.floor(spread() * 400 * 86_400_000));
  const { rows } = await t.db.pool.query<{ id: number }>("SELECT id FROM bills WHERE id > $1 ORDER BY id", [afterBill]);
  for (const { id } of rows) {
    if (spread() < 0.5) continue;
    await t.db.pool.query("UPDATE bills SET created_at = $2 WHERE id = $1", [id, at()]);
    await t.db.pool.query("UPDATE bill_returns SET created_at = $2 WHERE bill_id = $1", [id, at()]);
  }
}

beforeAll(async () => {
  // Rollups in the shop's zone from the start; the triggers keep them from here on.
  await t.db.pool.query("SELECT report_rollups_rebuild($1)", [ZONE]);
  await salesWorkload(t, random, { bills: 40 });
  await spreadOverMonths(0);
});

// Day ranges that read day rows only, a whole month (month rows), and a range of both (top items reads it from the cumulative totals).
const RANGES = [
  { from: "2026-11-01", to: "2026-11-02" },
  { from: "2026-10-31", to: "2026-11-03" },
  { from: "2026-11-01", to: "2026-12-01" },
  { from: "2026-10-15", to: "2026-12-10" },
];
// Ranges top items reads from the cumulative totals: whole months, bounds on
// boundaries inside a month, bounds nearer the next boundary or their own,
// boundaries before the first day row and past the last, 30 days across a month end.
const PREFIX_RANGES = [
  { from: "2026-03-01", to: "2027-03-01" },
  { from: "2026-03-08", to: "2026-12-22" },
  { from: "2026-03-11", to: "2026-12-26" },
  { from: "2026-02-17", to: "2027-01-13" },
  { from: "2026-04-03", to: "2026-11-28" },
  { from: "2025-12-20", to: "2027-06-01" },
  { from: "2026-10-02", to: "2026-11-02" },
];

/** Every range report (and slow movers) for a range, as plain JSON. */
async function everyReport(range: { from: string; to: string }) {
  const ctx = t.ctx();
  const strip = <T extends { range: unknown }>(r: T) => JSON.parse(JSON.stringify({ ...r, range: undefined }));
  return {
    summary: strip(await salesSummary(ctx, { ...range, groupBy: "DAY" })),
    weeks: strip(await salesSummary(ctx, { ...range, groupBy: "WEEK" })),
    topQuantity: strip(await topItems(ctx, { ...range, by: "QUANTITY", first: 100 })),
    topRevenue: strip(await topItems(ctx, { ...range, by: "REVENUE", first: 3 })),
    topInCategory: strip(await topItems(ctx, { ...range, by: "REVENUE", category: "beauty", first: 100 })),
    categories: strip(await revenueByCategory(ctx, range)),
    hours: strip(await salesByHour(ctx, range)),
    cashiers: strip(await salesByCashier(ctx, range)),
    tax: strip(await taxByRate(ctx, range)),
    payments: strip(await paymentsByMethod(ctx, range)),
    slow: JSON.parse(JSON.stringify(await slowMovers(ctx, { days: 3650, first: 200 }))),
  };
}

async function rollupsEqualRaw() {
  process.env.STORELITE_TIME_ZONE = ZONE;
  for (const range of [...RANGES, ...PREFIX_RANGES]) {
    const viaRollups = await everyReport(range);
    process.env.STORELITE_REPORT_ROLLUPS = "false";
    const raw = await everyReport(range);
    delete process.env.STORELITE_REPORT_ROLLUPS;
    expect(viaRollups, `${range.from}..${range.to}`).toEqual(raw);
    expect(raw.summary.totals.bills, "the range has bills").toBeGreaterThan(0);
  }
}

/**
 * Where the cumulative item totals differ from the day rows they sum (all
 * compacted): every key at every boundary from Nov 2025 to Aug 2027, a
 * boundary past the last one reading the last.
 */
async function prefixMismatches() {
  const { rows } = await t.db.pool.query(`
    WITH months AS (SELECT g::date AS m FROM generate_series('2025-11-01'::date, '2027-08-01', interval '1 day') g WHERE extract(day FROM g) IN (1, 8, 15, 22)),
    keys AS (SELECT item_id, category FROM report_items WHERE kind = 'D' UNION SELECT item_id, category FROM report_item_prefix),
    want AS (
      SELECT k.item_id, k.category, months.m, coalesce(sum(ri.lines), 0) AS l, coalesce(sum(ri.quantity - ri.returned_qty), 0) AS q,
             coalesce(sum(ri.revenue - ri.return_value), 0) AS r, coalesce(sum(ri.returned_qty), 0) AS rq
      FROM keys k CROSS JOIN months LEFT JOIN report_items ri ON ri.kind = 'D' AND ri.item_id = k.item_id AND ri.category = k.category AND ri.day < months.m
      GROUP BY 1, 2, 3
    ), have AS (
      SELECT k.item_id, k.category, months.m, coalesce(p.lines, 0) AS l, coalesce(p.net_quantity_thousandths, 0) / 1000.0 AS q,
             coalesce(p.net_revenue_hundredths, 0) / 100.0 AS r, coalesce(p.returned_thousandths, 0) / 1000.0 AS rq
      FROM keys k CROSS JOIN months
      LEFT JOIN report_item_prefix p ON p.item_id = k.item_id AND p.category = k.category AND p.boundary = least(months.m, (SELECT prefix_through FROM report_rollup_state))
    )
    SELECT * FROM want w FULL JOIN have h USING (item_id, category, m) WHERE (w.l, w.q, w.r, w.rq) IS DISTINCT FROM (h.l, h.q, h.r, h.rq)`);
  return rows;
}

/** The rollups' sums per key, whatever rows they are spread over (keys that sum to nothing left out). */
async function sums() {
  const keys = new Set(["day", "hour", "staff_id", "kind", "item_id", "category", "tax_rate_name", "method"]);
  const nothing = (row: Record<string, unknown>) => Object.entries(row).every(([k, v]) => keys.has(k) || Number(v) === 0);
  const q = async (sql: string) => (await t.db.pool.query(sql)).rows.filter((r) => !nothing(r));
  return {
    sales: await q(`SELECT day, hour, staff_id, sum(bills) b, sum(unpaid_bills) u, sum(gross) g, sum(discounts) d, sum(tax) t, sum(total) tt, sum(revenue) r, sum(cost) c,
                    sum(approvals_given) ag, sum(returns) rs, sum(return_value) rv, sum(voids) v, sum(voided) vd
                    FROM report_sales GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`),
    items: await q(`SELECT kind, day, item_id, category, tax_rate_name, sum(lines) l, sum(quantity) q, sum(revenue) r, sum(tax) t, sum(category_bills) cb, sum(rate_bills) rb,
                    sum(returned_qty) rq, sum(return_value) rv FROM report_items GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`),
    payments: await q(`SELECT day, method, sum(payments) p, sum(bills) b, sum(amount) a, sum(refunded) r FROM report_payments GROUP BY 1, 2 ORDER BY 1, 2`),
    lastSales: (await t.db.pool.query("SELECT item_id, max(last_sold_at) AS at FROM report_last_sales GROUP BY 1 ORDER BY 1")).rows,
  };
}

describe("report rollups", () => {
  it("every report from the rollups equals the report from the raw rows", async () => {
    const { rows } = await t.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM report_sales");
    expect(rows[0]!.n).toBeGreaterThan(40);
    for (const range of PREFIX_RANGES) expect(prefixBounds(range), `${range.from}..${range.to} reads the cumulative totals`).not.toBeNull();
    for (const range of RANGES.slice(0, 3)) expect(prefixBounds(range), `${range.from}..${range.to} reads month and day rows`).toBeNull();
    const { rows: months } = await t.db.pool.query<{ n: number }>("SELECT count(DISTINCT day)::int AS n FROM report_items WHERE kind = 'M'");
    expect(months[0]!.n, "bills in many months").toBeGreaterThan(8);
    await rollupsEqualRaw();
  });

  it("compaction folds each key into one row and changes no figure", async () => {
    const before = await sums();
    await t.db.pool.query("SELECT report_rollups_compact()");
    expect(await sums()).toEqual(before);
    const { rows } = await t.db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM (SELECT 1 FROM report_sales GROUP BY day, hour, staff_id HAVING count(*) > 1) d",
    );
    expect(rows[0]!.n).toBe(0);
    expect(await prefixMismatches()).toEqual([]);
    const { rows: prefix } = await t.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM report_item_prefix");
    expect(prefix[0]!.n).toBeGreaterThan(20);
    await rollupsEqualRaw();
  });

  it("a second workload on compacted rows still matches, and the triggers' rows equal a rebuild from scratch", async () => {
    const { rows: last } = await t.db.pool.query<{ id: number }>("SELECT max(id)::int AS id FROM bills");
    await salesWorkload(t, random, { bills: 24 });
    // New month rows in old months and months past the last boundary, and a compacted old sale voided: pending, not yet in the cumulative totals.
    await spreadOverMonths(last[0]!.id);
    await t.db.pool.query(
      `UPDATE bills SET voided_at = created_at + interval '1 hour', voided_by = cashier_id, voided_by_name = 'Cashier', void_reason = 'wrong items'
       WHERE id = (SELECT min(id) FROM bills WHERE voided_at IS NULL AND created_at < '2026-09-01')`,
    );
    await rollupsEqualRaw();
    await t.db.pool.query("SELECT report_rollups_compact()");
    expect(await prefixMismatches()).toEqual([]);
    await rollupsEqualRaw();
    const kept = await sums();
    await t.db.pool.query("SELECT report_rollups_rebuild($1)", [ZONE]);
    expect(await sums()).toEqual(kept);
    expect(await prefixMismatches()).toEqual([]);
  });

  it("a range the rollups cannot answer (another zone, a bound inside a day) is read from the raw rows", async () => {
    process.env.STORELITE_TIME_ZONE = "America/New_York";
    const other = await salesSummary(t.ctx(), { from: "2026-11-01", to: "2026-11-03" });
    expect(other.range.rollupDays).toBeNull();
    process.env.STORELITE_TIME_ZONE = ZONE;
    const partial = await salesSummary(t.ctx(), { from: "2026-11-01T06:00", to: "2026-11-03" });
    expect(partial.range.rollupDays).toBeNull();
    const whole = await salesSummary(t.ctx(), { from: "2026-11-01", to: "2026-11-03" });
    expect(whole.range.rollupDays).toEqual({ from: "2026-11-01", to: "2026-11-03" });
  });

  it("the upkeep rebuilds the rollups when the shop's time zone changes, then compacts", async () => {
    process.env.STORELITE_TIME_ZONE = "America/New_York";
    const logged: string[] = [];
    await upkeepRound(t.db, (m) => logged.push(m));
    expect(logged[0]).toBe("reports: rebuilding the report rollups in America/New_York (were Asia/Karachi)...");
    const range = { from: "2026-10-31", to: "2026-11-03" };
    const viaRollups = await salesSummary(t.ctx(), range);
    expect(viaRollups.range.rollupDays).toEqual(range);
    process.env.STORELITE_REPORT_ROLLUPS = "false";
    expect(JSON.stringify((await salesSummary(t.ctx(), range)).rows)).toBe(JSON.stringify(viaRollups.rows));
    logged.length = 0;
    await upkeepRound(t.db, (m) => logged.push(m));
    expect(logged).toEqual([]);
  });
});
