"use client";
// A return slip as the server recorded it: which lines came back, what each
// refunded (its discount and tax share included) and how the money went back.
import type { ReturnFieldsFragment } from "../../gql/graphql.ts";
import { displayQuantity } from "../../lib/decimal.ts";
import { formatDateTime } from "../../lib/hooks.ts";
import { formatAmount } from "./Invoice.tsx";

export const METHOD_NAMES: Record<string, string> = { CASH: "Cash", CARD: "Card", MOBILE: "Mobile wallet", OTHER: "Other" };

export function ReturnSlip({ slip, currency }: { slip: ReturnFieldsFragment; currency?: string | null }) {
  const money = (a: string) => formatAmount(a, currency);
  return (
    <article className="invoice return-slip" aria-label={`Return ${slip.id}`} data-testid="return-slip">
      <header className="invoice-head">
        <h3>Return #{slip.id}</h3>
        <dl className="invoice-meta">
          <div><dt>Bill no.</dt><dd>{slip.billId}</dd></div>
          <div><dt>Date</dt><dd><time dateTime={slip.createdAt}>{formatDateTime(slip.createdAt)}</time></dd></div>
          {slip.actorName ? <div><dt>By</dt><dd>{slip.actorName}</dd></div> : null}
          {slip.approvedByName ? <div><dt>Approved by</dt><dd data-testid="return-approver">{slip.approvedByName}</dd></div> : null}
        </dl>
        <p className="muted">Reason: {slip.reason}</p>
      </header>
      <table className="invoice-lines">
        <thead>
          <tr><th scope="col">Item</th><th scope="col" className="num">Qty</th><th scope="col" className="num">Refund</th></tr>
        </thead>
        <tbody>
          {slip.lines.map((l) => (
            <tr key={l.id}>
              <td>{l.itemName}{l.restock ? null : <small className="muted"> · damaged</small>}</td>
              <td className="num">{displayQuantity(l.quantity)} {l.unit}</td>
              <td className="num">{l.refundAmount}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          {slip.taxTotal !== "0.00" ? <tr><th scope="row" colSpan={2}>of which tax</th><td className="num">{money(slip.taxTotal)}</td></tr> : null}
          <tr className="invoice-total"><th scope="row" colSpan={2}>Refund</th><td className="num" data-testid="return-total">{money(slip.refundTotal)}</td></tr>
          {slip.payments.map((p, i) => (
            <tr key={i} data-testid="return-payment"><th scope="row" colSpan={2}>{p.label ?? METHOD_NAMES[p.method] ?? p.method}</th><td className="num">{money(p.amount)}</td></tr>
          ))}
        </tfoot>
      </table>
    </article>
  );
}
