// The money reports (sales summary, top items, categories, per cashier, tax by
// rate, payments by method) against an independent SQL computation: a random
// workload of complete sales (line and bill discounts, two tax rates and
// untaxed lines, prices with and without tax, per-bill tax rounding, cash
// rounding, split payments, cashiers with over-limit discounts approved by a
// manager) dated around midnights in two time zones, some voided and some
// returned (testing/report-workload.ts). The expected figures are
// summed by shop day with `(created_at AT TIME ZONE tz)::date`, from other
// columns than the reports read where the bill stores the same figure twice
// (a line's charged − tax for its taxable amount, the lines' discounts for the
// bill's, the bills' tax_breakdown JSON for tax by rate). Voided bills must
// count nowhere, returns on the day they were made.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../testing/fixtures.ts";
import { rng, salesWorkload, type Workload } from "../testing/report-workload.ts";
import { Decimal } from "./money.ts";
import { paymentsByMethod, revenueByCategory, salesByCashier, salesByHour, salesSummary, taxByRate, topItems } from "./reports.ts";

const t = useTestDatabase(5);

const random = rng(2026);
const setZone = (tz: string | undefined) => {
  if (tz === undefined) delete process.env.STORELITE_TIME_ZONE;
  else process.env.STORELITE_TIME_ZONE = tz;
};
afterEach(() => setZone(undefined));

let manager: Workload["manager"];

beforeAll(async () => {
  ({ manager } = await salesWorkload(t, random, { bills: 48 }));
});

/** The independent sums, one SQL statement each; bills in [from, to) by their shop-calendar day, voided ones left out. */
const inDays = `(b.created_at AT TIME ZONE $1)::date >= $2::date AND (b.created_at AT TIME ZONE $1)::date < $3::date AND b.voided_at IS NULL`;
/** Return lines `rl` (with their return `r` and sold line `bi`) of returns made on the shop days [from, to). */
const returnedInDays = `bill_return_lines rl JOIN bill_returns r ON r.id = rl.return_id JOIN bill_items bi ON bi.id = rl.bill_item_id
  WHERE (r.created_at AT TIME ZONE $1)::date >= $2::date AND (r.created_at AT TIME ZONE $1)::date < $3::date`;
async function expected<T>(sql: string, tz: string, from: string, to: string): Promise<T[]> {
  return (await t.db.pool.query(sql, [tz, from, to])).rows as T[];
}
const m = (d: Decimal) => d.toFixed(2);

describe.each(["America/New_York", "Asia/Karachi"])("money reports in %s", (tz) => {
  const from = "2026-11-01";
  const to = "2026-11-03";

  it("sales summary: bills, gross, discounts, returns, net, tax, cost and margin per shop day", async () => {
    setZone(tz);
    const report = await salesSummary(t.ctx(), { from, to });
    const sold = await expected<Record<string, string>>(
      `SELECT to_char((b.created_at AT TIME ZONE $1)::date, 'YYYY-MM-DD') AS day, count(DISTINCT b.id)::text AS bills,
              sum(bi.line_total) AS gross, sum(bi.line_discount + bi.bill_discount_share) AS discounts,
              sum(bi.charged_total - bi.tax_amount) AS net, sum(bi.tax_amount) AS tax,
              coalesce(sum(bi.unit_cost * bi.quantity), 0) AS cost,
              coalesce(sum(bi.charged_total - bi.tax_amount - bi.unit_cost * bi.quantity), 0) AS margin
       FROM bills b JOIN bill_items bi ON bi.bill_id = b.id WHERE ${inDays} GROUP BY 1`,
      tz,
      from,
      to,
    );
    const returned = await expected<Record<string, string>>(
      `SELECT to_char((r.created_at AT TIME ZONE $1)::date, 'YYYY-MM-DD') AS day, count(DISTINCT r.id)::text AS n,
              sum(rl.refund_amount - rl.tax_amount) AS value, sum(rl.tax_amount) AS tax,
              coalesce(sum(bi.unit_cost * rl.quantity), 0) AS cost,
              coalesce(sum(rl.refund_amount - rl.tax_amount - bi.unit_cost * rl.quantity), 0) AS margin
       FROM ${returnedInDays} GROUP BY 1`,
      tz,
      from,
      to,
    );
    const days = ["2026-11-01", "2026-11-02"];
    const at = (rows: Record<string, string>[], day: string, k: string) => new Decimal(rows.find((r) => r.day === day)?.[k] ?? 0);
    expect(report.rows.map((r) => [r.period, r.bills, m(r.gross), m(r.discounts), m(r.returns), r.returnCount, m(r.net), m(r.tax), m(r.cost), m(r.margin)])).toEqual(
      days.map((d) => [
        d,
        at(sold, d, "bills").toNumber(),
        m(at(sold, d, "gross")),
        m(at(sold, d, "discounts")),
        m(at(returned, d, "value")),
        at(returned, d, "n").toNumber(),
        m(at(sold, d, "net").sub(at(returned, d, "value"))),
        m(at(sold, d, "tax").sub(at(returned, d, "tax"))),
        m(at(sold, d, "cost").sub(at(returned, d, "cost")).toDecimalPlaces(2)),
        m(at(sold, d, "margin").sub(at(returned, d, "margin")).toDecimalPlaces(2)),
      ]),
    );
    expect(report.totals.discounts.greaterThan(0)).toBe(true);
    expect(report.totals.tax.greaterThan(0)).toBe(true);
    expect(report.totals.returns.greaterThan(0)).toBe(true);
    // The other reports of the range add up to the same net.
    const hours = await salesByHour(t.ctx(), { from, to });
    expect(m(hours.rows.reduce((s, h) => s.add(h.revenue), new Decimal(0)))).toBe(m(report.totals.net));
    expect(hours.rows.reduce((n, h) => n + h.bills, 0)).toBe(report.totals.bills);
    const cats = await revenueByCategory(t.ctx(), { from, to });
    // (Margins are rounded per row, so only the money that is exact per line is compared.)
    expect([m(cats.total), m(cats.rows.reduce((s, c) => s.add(c.returns), new Decimal(0)))]).toEqual([m(report.totals.net), m(report.totals.returns)]);
  });

  it("top items by revenue count what each line charged after discounts, without tax, less returns", async () => {
    setZone(tz);
    const report = await topItems(t.ctx(), { from, to, by: "REVENUE", first: 100 });
    const rows = await expected<{ item_id: number; revenue: string; quantity: string; returned: string }>(
      `WITH s AS (
         SELECT bi.item_id, sum(bi.charged_total - bi.tax_amount) AS revenue, sum(bi.quantity) AS quantity FROM bills b JOIN bill_items bi ON bi.bill_id = b.id WHERE ${inDays} GROUP BY 1
       ), r AS (
         SELECT bi.item_id, sum(rl.refund_amount - rl.tax_amount) AS revenue, sum(rl.quantity) AS quantity FROM ${returnedInDays} GROUP BY 1
       )
       SELECT item_id, (coalesce(s.revenue, 0) - coalesce(r.revenue, 0))::text AS revenue, (coalesce(s.quantity, 0) - coalesce(r.quantity, 0))::text AS quantity,
              coalesce(r.quantity, 0)::text AS returned
       FROM s FULL JOIN r USING (item_id)
       ORDER BY coalesce(s.revenue, 0) - coalesce(r.revenue, 0) DESC, coalesce(s.quantity, 0) - coalesce(r.quantity, 0) DESC, 1`,
      tz,
      from,
      to,
    );
    expect(report.rows.map((r) => [r.itemId, m(r.revenue), r.quantity.toFixed(3), r.returnedQuantity.toFixed(3)])).toEqual(
      rows.map((r) => [r.item_id, m(new Decimal(r.revenue)), new Decimal(r.quantity).toFixed(3), new Decimal(r.returned).toFixed(3)]),
    );
    const cats = await revenueByCategory(t.ctx(), { from, to });
    expect(cats.total.toFixed(2)).toBe(rows.reduce((s, r) => s.add(r.revenue), new Decimal(0)).toFixed(2));
  });

  it("per cashier: bills, discounts given, net, tax, paid, returns, voids and approvals", async () => {
    setZone(tz);
    const report = await salesByCashier(t.ctx(), { from, to });
    const rows = await expected<Record<string, string | number | null>>(
      `WITH l AS (
         SELECT bi.bill_id, sum(bi.line_discount + bi.bill_discount_share) AS discounts, sum(bi.charged_total - bi.tax_amount) AS net
         FROM bill_items bi GROUP BY 1
       ), mine AS (
         SELECT b.cashier_id AS staff_id, count(*)::int AS bills, sum(l.discounts)::text AS discounts, count(*) FILTER (WHERE l.discounts > 0)::int AS discounted,
                sum(l.net)::text AS net, sum(b.tax_total)::text AS tax, sum(b.total_amount)::text AS total,
                count(b.discount_approved_by)::int AS asked
         FROM bills b JOIN l ON l.bill_id = b.id WHERE ${inDays} GROUP BY 1
       ), rets AS (
         SELECT r.actor_id AS staff_id, count(*)::int AS returns, sum(r.refund_total)::text AS refunded, count(r.approved_by)::int AS asked
         FROM bill_returns r WHERE (r.created_at AT TIME ZONE $1)::date >= $2::date AND (r.created_at AT TIME ZONE $1)::date < $3::date GROUP BY 1
       ), voids AS (
         SELECT b.voided_by AS staff_id, count(*)::int AS voids, sum(b.total_amount)::text AS voided, count(b.void_approved_by)::int AS asked
         FROM bills b WHERE (b.voided_at AT TIME ZONE $1)::date >= $2::date AND (b.voided_at AT TIME ZONE $1)::date < $3::date GROUP BY 1
       ), given AS (
         SELECT staff_id, count(*)::int AS given FROM (
           SELECT b.discount_approved_by AS staff_id FROM bills b WHERE ${inDays}
           UNION ALL SELECT r.approved_by FROM bill_returns r WHERE (r.created_at AT TIME ZONE $1)::date >= $2::date AND (r.created_at AT TIME ZONE $1)::date < $3::date
           UNION ALL SELECT b.void_approved_by FROM bills b WHERE (b.voided_at AT TIME ZONE $1)::date >= $2::date AND (b.voided_at AT TIME ZONE $1)::date < $3::date
         ) a WHERE staff_id IS NOT NULL GROUP BY 1
       ), k AS (
         SELECT staff_id FROM mine UNION SELECT staff_id FROM rets UNION SELECT staff_id FROM voids UNION SELECT staff_id FROM given
       )
       SELECT k.staff_id, coalesce(mine.bills, 0) AS bills, coalesce(mine.discounts, '0') AS discounts,
              coalesce(mine.discounted, 0) AS discounted, coalesce(mine.net, '0') AS net, coalesce(mine.tax, '0') AS tax,
              coalesce(mine.total, '0') AS total, coalesce(rets.returns, 0) AS returns, coalesce(rets.refunded, '0') AS refunded,
              coalesce(voids.voids, 0) AS voids, coalesce(voids.voided, '0') AS voided,
              coalesce(mine.asked, 0) + coalesce(rets.asked, 0) + coalesce(voids.asked, 0) AS asked, coalesce(given.given, 0) AS given
       FROM k LEFT JOIN mine ON mine.staff_id IS NOT DISTINCT FROM k.staff_id LEFT JOIN rets ON rets.staff_id IS NOT DISTINCT FROM k.staff_id
       LEFT JOIN voids ON voids.staff_id IS NOT DISTINCT FROM k.staff_id LEFT JOIN given ON given.staff_id IS NOT DISTINCT FROM k.staff_id`,
      tz,
      from,
      to,
    );
    const mine = (r: (typeof report.rows)[number]) => [r.staffId, r.bills, m(r.discounts), r.discountedBills, m(r.net), m(r.tax), m(r.total), r.returns, m(r.refunded), r.voids, m(r.voided), r.approvalsAsked, r.approvalsGiven];
    const key = (x: unknown[]) => String(x[0]);
    expect(report.rows.map(mine).sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
      rows
        .map((r) => [
          r.staff_id,
          r.bills,
          m(new Decimal(r.discounts!)),
          r.discounted,
          m(new Decimal(r.net!)),
          m(new Decimal(r.tax!)),
          m(new Decimal(r.total!)),
          r.returns,
          m(new Decimal(r.refunded!)),
          r.voids,
          m(new Decimal(r.voided!)),
          r.asked,
          r.given,
        ])
        .sort((a, b) => key(a).localeCompare(key(b))),
    );
    expect(report.rows.find((r) => r.staffId === manager.id)?.name).toBe(manager.name);
    expect(report.rows.find((r) => r.staffId === null)?.name).toBe("No cashier recorded");
    expect(report.rows.some((r) => r.voids > 0) && report.rows.some((r) => r.returns > 0)).toBe(true);
    // The cashiers' net is the summary's before returns.
    const totals = (await salesSummary(t.ctx(), { from, to })).totals;
    expect(m(report.rows.map((r) => r.net).reduce((s, x) => s.add(x), new Decimal(0)))).toBe(m(totals.net.add(totals.returns)));
  });

  it("tax by rate equals the bills' stored tax breakdowns, less the tax of returns made in the range", async () => {
    setZone(tz);
    const report = await taxByRate(t.ctx(), { from, to });
    const back = await expected<{ name: string; percent: string; taxable: string; tax: string }>(
      `SELECT bi.tax_rate_name AS name, bi.tax_rate_percent::text AS percent, sum(rl.refund_amount - rl.tax_amount)::text AS taxable, sum(rl.tax_amount)::text AS tax
       FROM ${returnedInDays} AND bi.tax_rate_percent > 0 GROUP BY 1, 2`,
      tz,
      from,
      to,
    );
    const returnedOf = (name: string, percent: string) => back.find((b) => b.name === name && new Decimal(b.percent).eq(percent));
    const rows = await expected<{ name: string; percent: string; taxable: string; tax: string }>(
      `SELECT e->>'name' AS name, e->>'percent' AS percent, sum((e->>'taxableBase')::numeric)::text AS taxable, sum((e->>'tax')::numeric)::text AS tax
       FROM bills b CROSS JOIN jsonb_array_elements(b.tax_breakdown) e WHERE ${inDays} AND (e->>'percent')::numeric > 0 GROUP BY 1, 2`,
      tz,
      from,
      to,
    );
    const taxed = report.rows.filter((r) => r.percent.greaterThan(0));
    expect(Object.fromEntries(taxed.map((r) => [`${r.name} ${r.percent.toString()}`, [m(r.taxable), m(r.tax), m(r.returnedTax)]]))).toEqual(
      Object.fromEntries(
        rows.map((r) => {
          const ret = returnedOf(r.name, r.percent);
          return [`${r.name} ${new Decimal(r.percent).toString()}`, [m(new Decimal(r.taxable).sub(ret?.taxable ?? 0)), m(new Decimal(r.tax).sub(ret?.tax ?? 0)), m(new Decimal(ret?.tax ?? 0))]];
        }),
      ),
    );
    expect(taxed.map((r) => r.name.split(" ")[0]).sort()).toEqual(["GST", "Reduced"]);
    const summary = await salesSummary(t.ctx(), { from, to });
    expect(m(report.tax)).toBe(m(summary.totals.tax));
    expect(m(report.taxable)).toBe(m(summary.totals.net));
  });

  it("payments by method: every method, the part of the bills each paid, cash tendered and change", async () => {
    setZone(tz);
    const report = await paymentsByMethod(t.ctx(), { from, to });
    const rows = await expected<{ method: string; payments: number; amount: string; tendered: string; change: string }>(
      `SELECT p.method::text AS method, count(*)::int AS payments, sum(p.amount)::text AS amount, coalesce(sum(p.tendered), 0)::text AS tendered, sum(p.change)::text AS change
       FROM bills b JOIN bill_payments p ON p.bill_id = b.id WHERE ${inDays} GROUP BY 1`,
      tz,
      from,
      to,
    );
    expect(report.rows.map((r) => r.method)).toEqual(["CASH", "CARD", "MOBILE", "OTHER"]);
    const refunds = await expected<{ method: string; refunded: string }>(
      `SELECT rp.method::text AS method, sum(rp.amount)::text AS refunded FROM bill_return_payments rp JOIN bill_returns r ON r.id = rp.return_id
       WHERE (r.created_at AT TIME ZONE $1)::date >= $2::date AND (r.created_at AT TIME ZONE $1)::date < $3::date GROUP BY 1`,
      tz,
      from,
      to,
    );
    const byMethod = new Map(rows.map((r) => [r.method, r]));
    for (const r of report.rows) {
      const e = byMethod.get(r.method);
      const refunded = new Decimal(refunds.find((x) => x.method === r.method)?.refunded ?? 0);
      expect([r.method, r.payments, m(r.amount), m(r.tendered), m(r.change), m(r.refunded), m(r.net)]).toEqual([
        r.method,
        e?.payments ?? 0,
        m(new Decimal(e?.amount ?? 0)),
        m(new Decimal(e?.tendered ?? 0)),
        m(new Decimal(e?.change ?? 0)),
        m(refunded),
        m(new Decimal(e?.amount ?? 0).sub(refunded)),
      ]);
    }
    expect(report.refunded.greaterThan(0)).toBe(true);
    // Every bill that stands is paid in full: the payments add up to what the bills charged.
    const [paid] = await expected<{ total: string }>(`SELECT coalesce(sum(b.total_amount), 0)::text AS total FROM bills b WHERE ${inDays}`, tz, from, to);
    expect(m(report.amount)).toBe(m(new Decimal(paid!.total)));
    expect(report.billsWithoutPayments).toBe(0);
  });
});

describe("empty and bad ranges", () => {
  it("an empty range: zeros, every payment method, no rows for cashiers and rates", async () => {
    expect((await salesByCashier(t.ctx(), { from: "2020-01-01", to: "2020-01-02" })).rows).toEqual([]);
    expect((await taxByRate(t.ctx(), { from: "2020-01-01", to: "2020-01-02" })).rows).toEqual([]);
    const p = await paymentsByMethod(t.ctx(), { from: "2020-01-01", to: "2020-01-02" });
    expect(p.rows.map((r) => [r.method, r.payments, m(r.amount)])).toEqual([["CASH", 0, "0.00"], ["CARD", 0, "0.00"], ["MOBILE", 0, "0.00"], ["OTHER", 0, "0.00"]]);
  });

  it("to ≤ from is refused by each new report", async () => {
    for (const report of [salesByCashier, taxByRate, paymentsByMethod]) {
      await expect(report(t.ctx(), { from: "2026-11-02", to: "2026-11-01" })).rejects.toThrow(/to: must be after from/);
    }
  });
});
