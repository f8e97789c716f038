// The report rollups against the raw rows: after a random workload (complete
// sales, bills moved in time, voids, returns), every report read from the
// rollups equals the same report computed from the bills and lines, before and
// after compaction, after a second workload on top of compacted rows, and the
// triggers' rows sum to what a rebuild from scratch computes.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/fixtures.ts";
import { rng, salesWorkload } from "../testing/report-workload.ts";
import { upkeepRound } from "../reports/upkeep.ts";
import { paymentsByMethod, revenueByCategory, salesByCashier, salesByHour, salesSummary, slowMovers, taxByRate, topItems } from "./reports.ts";

const t = useTestDatabase(5);
const ZONE = "Asia/Karachi";
const random = rng(77);

afterEach(() => {
  delete process.env.STORELITE_TIME_ZONE;
  delete process.env.STORELITE_REPORT_ROLLUPS;
});

beforeAll(async () => {
  // Rollups in the shop's zone from the start; the triggers keep them from here on.
  await t.db.pool.query("SELECT report_rollups_rebuild($1)", [ZONE]);
  await salesWorkload(t, random, { bills: 40 });
});

// Day ranges that read day rows only, a whole month (month rows) and a range of both.
const RANGES = [
  { from: "2026-11-01", to: "2026-11-02" },
  { from: "2026-10-31", to: "2026-11-03" },
  { from: "2026-11-01", to: "2026-12-01" },
  { from: "2026-10-15", to: "2026-12-10" },
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
  for (const range of RANGES) {
    const viaRollups = await everyReport(range);
    process.env.STORELITE_REPORT_ROLLUPS = "false";
    const raw = await everyReport(range);
    delete process.env.STORELITE_REPORT_ROLLUPS;
    expect(viaRollups, `${range.from}..${range.to}`).toEqual(raw);
    expect(raw.summary.totals.bills, "the range has bills").toBeGreaterThan(0);
  }
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
    await rollupsEqualRaw();
  });

  it("a second workload on compacted rows still matches, and the triggers' rows equal a rebuild from scratch", async () => {
    await salesWorkload(t, random, { bills: 24 });
    await rollupsEqualRaw();
    const kept = await sums();
    await t.db.pool.query("SELECT report_rollups_rebuild($1)", [ZONE]);
    expect(await sums()).toEqual(kept);
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
