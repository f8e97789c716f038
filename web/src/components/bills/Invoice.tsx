"use client";
// An invoice as the server recorded it, on screen and on paper. The paper
// size (80 mm receipt roll or A4) is remembered per browser and sets @page.
import { useEffect, useState, type ReactNode } from "react";
import type { BillFieldsFragment } from "../../gql/graphql.ts";
import { displayQuantity } from "../../lib/decimal.ts";
import { formatDateTime } from "../../lib/hooks.ts";

export type Paper = "receipt" | "a4";
const PAPER_KEY = "storelite.printPaper";

const PAGE_RULES: Record<Paper, string> = {
  receipt: "@page { size: 80mm auto; margin: 3mm; }",
  a4: "@page { size: A4; margin: 15mm; }",
};

export function usePaper(): [Paper, (p: Paper) => void] {
  const [paper, setPaper] = useState<Paper>(() => (localStorage.getItem(PAPER_KEY) === "a4" ? "a4" : "receipt"));
  return [paper, (p) => { localStorage.setItem(PAPER_KEY, p); setPaper(p); }];
}

export function Invoice({ bill, paper }: { bill: BillFieldsFragment; paper: Paper }) {
  // The print stylesheet for the chosen paper; swapped, not stacked, when it changes.
  useEffect(() => {
    const style = document.createElement("style");
    style.dataset.paper = paper;
    style.textContent = PAGE_RULES[paper];
    document.head.appendChild(style);
    return () => style.remove();
  }, [paper]);

  return (
    <article className={`invoice paper-${paper}`} aria-label={`Invoice ${bill.id}`}>
      <header className="invoice-head">
        <h2 className="invoice-store">{bill.storeName || "StoreLite"}</h2>
        <dl className="invoice-meta">
          <div><dt>Bill no.</dt><dd data-testid="bill-number">{bill.id}</dd></div>
          <div><dt>Date</dt><dd><time dateTime={bill.createdAt}>{formatDateTime(bill.createdAt)}</time></dd></div>
          {bill.cashierName ? <div><dt>Cashier</dt><dd data-testid="bill-cashier">{bill.cashierName}</dd></div> : null}
          {bill.customerName ? <div><dt>Customer</dt><dd>{bill.customerName}</dd></div> : null}
        </dl>
      </header>
      <table className="invoice-lines">
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col" className="num">Qty</th>
            <th scope="col" className="num">Price</th>
            <th scope="col" className="num">Amount</th>
          </tr>
        </thead>
        <tbody>
          {bill.lines.map((l) => (
            <tr key={l.id}>
              <td>{l.itemName}</td>
              <td className="num">{displayQuantity(l.quantity)} {l.unit}</td>
              <td className="num">{l.unitPrice}</td>
              <td className="num">{l.lineTotal}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          {bill.subtotal !== bill.totalAmount ? (
            <tr><th scope="row" colSpan={3}>Subtotal</th><td className="num">{bill.subtotal}</td></tr>
          ) : null}
          <tr className="invoice-total"><th scope="row" colSpan={3}>Total</th><td className="num" data-testid="invoice-total">{bill.totalAmount}</td></tr>
        </tfoot>
      </table>
      <p className="invoice-thanks">Thank you for shopping with us.</p>
    </article>
  );
}

export function PrintControls({ paper, setPaper, children }: { paper: Paper; setPaper: (p: Paper) => void; children?: ReactNode }) {
  return (
    <div className="print-controls no-print">
      <button type="button" className="primary" onClick={() => window.print()}>Print</button>
      <label>
        Paper{" "}
        <select value={paper} onChange={(e) => setPaper(e.target.value === "a4" ? "a4" : "receipt")}>
          <option value="receipt">80 mm receipt</option>
          <option value="a4">A4</option>
        </select>
      </label>
      {children}
    </div>
  );
}
