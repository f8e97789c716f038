"use client";
// A shift's figures as the server computed them (the X report while open, the
// Z report at close), as one table that prints on an 80 mm roll or A4 with the
// invoice's print rules.
import type { ShiftFiguresFieldsFragment } from "../../gql/graphql.ts";
import { formatDateTime } from "../../lib/hooks.ts";
import { METHOD, formatAmount } from "../bills/Invoice.tsx";

type Row = [label: string, amount: string, testId?: string];

export function ShiftFiguresTable({ f, currency }: { f: ShiftFiguresFieldsFragment; currency?: string | null }) {
  const money = (a: string) => formatAmount(a, currency);
  const section = (title: string, rows: Row[]) =>
    rows.length ? (
      <tbody key={title}>
        <tr className="z-section"><th scope="rowgroup" colSpan={2}>{title}</th></tr>
        {rows.map(([label, amount, testId]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td className="num" data-testid={testId}>{amount}</td>
          </tr>
        ))}
      </tbody>
    ) : null;
  const c = f.cash;
  const overrides = f.people.filter((p) => p.discountApprovals || p.returnApprovals || p.voids);
  return (
    <table className="invoice-lines z-figures">
      {section("Sales", [
        [`Bills (${f.bills.count})`, money(f.bills.total), "z-bills-total"],
        ["Gross", money(f.bills.gross)],
        ["Discounts", `−${money(f.bills.discounts)}`],
        ["Tax", money(f.bills.tax)],
        [`Returns (${f.returns.count})`, `−${money(f.returns.refunded)}`],
        [`Voids (${f.voids.count})`, money(f.voids.total)],
        ["Net (without tax)", money(f.net), "z-net"],
      ])}
      {section("Tax by rate", f.taxByRate.map((r): Row => [`${r.name} ${r.percent}% on ${r.taxable}`, money(r.net)]))}
      {section("Payments (taken − refunded)", f.payments.map((p): Row => [METHOD[p.method] ?? p.method, `${money(p.sales)} − ${money(p.refunds)}`, `z-pay-${p.method}`]))}
      {section("Cash drawer", [
        ["Opening float", money(c.openingFloat)],
        ["Cash sales", `+${money(c.sales)}`, "z-cash-sales"],
        ["Cash refunds", `−${money(c.refunds)}`],
        ["Paid in", `+${money(c.paidIn)}`],
        ["Paid out", `−${money(c.paidOut)}`, "z-paid-out"],
        ["Expected", money(c.expected), "z-expected"],
        ...(c.counted !== null && c.counted !== undefined
          ? ([
              ["Counted", money(c.counted), "z-counted"],
              ["Variance", money(c.variance ?? "0.00"), "z-variance"],
            ] as Row[])
          : []),
      ])}
      {section("Sales by person", f.people.filter((p) => p.bills).map((p): Row => [`${p.name} (${p.bills})`, money(p.sales)]))}
      {section(
        "Approvals and voids",
        overrides.flatMap((p): Row[] => [
          ...(p.discountApprovals ? [[`${p.name}: discounts approved (${p.discountApprovals})`, money(p.discountsApproved)] as Row] : []),
          ...(p.returnApprovals ? [[`${p.name}: returns approved (${p.returnApprovals})`, money(p.refundsApproved)] as Row] : []),
          ...(p.voids ? [[`${p.name}: bills voided (${p.voids})`, money(p.voided)] as Row] : []),
        ]),
      )}
    </table>
  );
}

export function ShiftHeader({ f }: { f: ShiftFiguresFieldsFragment }) {
  return (
    <dl className="invoice-meta">
      <div><dt>Register</dt><dd data-testid="z-register">{f.register}</dd></div>
      <div><dt>Opened</dt><dd>{formatDateTime(f.openedAt)}{f.openedBy ? ` · ${f.openedBy}` : ""}</dd></div>
      {f.closedAt ? <div><dt>Closed</dt><dd>{formatDateTime(f.closedAt)}{f.closedBy ? ` · ${f.closedBy}` : ""}</dd></div> : null}
    </dl>
  );
}
