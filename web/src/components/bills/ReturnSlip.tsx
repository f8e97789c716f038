"use client";
// A return slip as the server recorded it: which lines came back, what each
// refunded (its discount and tax share included) and how the money went back.
// Printed on its own (the customer's copy) under the shop's header, on the
// paper chosen for the invoice.
import type { BillFieldsFragment, ReturnFieldsFragment } from "../../gql/graphql.ts";
import { displayQuantity } from "../../lib/decimal.ts";
import { formatDateTime } from "../../lib/hooks.ts";
import { METHOD, ShopHeader, formatAmount, type Paper } from "./Invoice.tsx";

interface ReturnSlipProps {
  slip: ReturnFieldsFragment;
  bill: Pick<BillFieldsFragment, "storeName" | "shop">;
  paper: Paper;
  /** This slip is the one being printed (the rest of the page is left off the paper). */
  printing?: boolean;
  onPrint?: () => void;
}

export function ReturnSlip({ slip, bill, paper, printing, onPrint }: ReturnSlipProps) {
  const money = (a: string) => formatAmount(a, bill.shop?.currency);
  return (
    <article className={`invoice return-slip paper-${paper}${printing ? " print-target" : ""}`} aria-label={`Return ${slip.id}`} data-testid="return-slip">
      {onPrint ? (
        <p className="no-print slip-actions">
          <button type="button" onClick={onPrint} data-testid="print-slip">Print slip</button>
        </p>
      ) : null}
      <header className="invoice-head">
        <ShopHeader storeName={bill.storeName} shop={bill.shop} />
        <h3 className="slip-title">Return #{slip.id}</h3>
        <dl className="invoice-meta">
          <div><dt>Bill no.</dt><dd>{slip.billId}</dd></div>
          <div><dt>Date</dt><dd><time dateTime={slip.createdAt}>{formatDateTime(slip.createdAt, bill.shop?.timeZone)}</time></dd></div>
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
            <tr key={i} data-testid="return-payment"><th scope="row" colSpan={2}>{p.label ?? METHOD[p.method] ?? p.method}</th><td className="num">{money(p.amount)}</td></tr>
          ))}
        </tfoot>
      </table>
    </article>
  );
}
