"use client";
// An invoice as the server recorded it, on screen and on paper. The paper
// size (80 mm receipt roll or A4) is remembered per browser and sets @page.
import { useEffect, useState, type ReactNode } from "react";
import type { BillFieldsFragment } from "../../gql/graphql.ts";
import { displayQuantity } from "../../lib/decimal.ts";
import { formatDateTime } from "../../lib/hooks.ts";

export type Paper = "receipt" | "a4";
const PAPER_KEY = "storelite.printPaper";

// "80mm auto" is not a valid size (Chromium then printed on Letter): a page
// needs both lengths, so the roll is 80 mm wide and at most an A4 length per page.
const PAGE_RULES: Record<Paper, string> = {
  receipt: "@page { size: 80mm 297mm; margin: 3mm; }",
  a4: "@page { size: A4; margin: 15mm; }",
};

export function usePaper(): [Paper, (p: Paper) => void] {
  const [paper, setPaper] = useState<Paper>(() => (localStorage.getItem(PAPER_KEY) === "a4" ? "a4" : "receipt"));
  return [paper, (p) => { localStorage.setItem(PAPER_KEY, p); setPaper(p); }];
}

/**
 * An amount in the shop's currency ("Rs 1,250.00" for PKR). The decimal string
 * goes to Intl as a string, so no float ever touches it. Bills made before shop
 * settings existed print plain amounts, as they always did.
 */
export function formatAmount(amount: string, currency: string | null | undefined): string {
  if (!currency) return amount;
  const format = new Intl.NumberFormat(currency === "PKR" ? "en-PK" : "en", { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return format.format(amount as unknown as number); // Intl.NumberFormat v3 formats decimal strings exactly
}

/** The print stylesheet for the chosen paper (@page size); swapped, not stacked, when it changes. */
export function usePageRule(paper: Paper) {
  useEffect(() => {
    const style = document.createElement("style");
    style.dataset.paper = paper;
    style.textContent = PAGE_RULES[paper];
    document.head.appendChild(style);
    return () => style.remove();
  }, [paper]);
}

/** The shop's own receipt header (name, address, phone, tax number), as on the bill's invoice. */
export function ShopHeader({ storeName, shop }: { storeName?: string | null; shop: BillFieldsFragment["shop"] }) {
  return (
    <>
      <h2 className="invoice-store">{storeName || shop?.name || "StoreLite"}</h2>
      {shop ? (
        <div className="invoice-shop" data-testid="invoice-shop">
          {shop.address ? <p>{shop.address}</p> : null}
          {shop.phone ? <p>Tel. {shop.phone}</p> : null}
          {shop.taxRegistrationNumber ? <p>Tax reg. no. {shop.taxRegistrationNumber}</p> : null}
        </div>
      ) : null}
    </>
  );
}

export const METHOD: Record<string, string> = { CASH: "Cash", CARD: "Card", MOBILE: "Mobile wallet", OTHER: "Other" };

export function Invoice({ bill, paper }: { bill: BillFieldsFragment; paper: Paper }) {
  const shop = bill.shop;
  const money = (a: string) => formatAmount(a, shop?.currency);
  const discounted = bill.discountTotal !== "0.00";
  usePageRule(paper);

  return (
    <article className={`invoice paper-${paper}${bill.voidedAt ? " voided" : ""}`} aria-label={`Invoice ${bill.id}`}>
      {bill.voidedAt ? (
        <p className="invoice-void" role="status" data-testid="bill-void">
          <strong>VOID</strong> — voided <time dateTime={bill.voidedAt}>{formatDateTime(bill.voidedAt)}</time>
          {bill.voidedBy ? ` by ${bill.voidedBy}` : ""}: {bill.voidReason}
        </p>
      ) : null}
      <header className="invoice-head">
        <ShopHeader storeName={bill.storeName} shop={shop} />
        <dl className="invoice-meta">
          <div><dt>Bill no.</dt><dd data-testid="bill-number">{bill.id}</dd></div>
          <div><dt>Date</dt><dd><time dateTime={bill.createdAt}>{formatDateTime(bill.createdAt, bill.shop?.timeZone)}</time></dd></div>
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
              <td>
                {l.itemName}
                {l.discount ? (
                  <small className="invoice-line-discount"> − {l.discount.kind === "PERCENT" ? `${Number(l.discount.value)}%` : "discount"} {l.lineDiscount}</small>
                ) : null}
                {l.taxRateName ? <small className="muted"> · {l.taxRateName}</small> : null}
              </td>
              <td className="num">{displayQuantity(l.quantity)} {l.unit}</td>
              <td className="num">{l.unitPrice}</td>
              <td className="num">{l.lineTotal}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          {bill.subtotal !== bill.totalAmount ? (
            <tr><th scope="row" colSpan={3}>Subtotal</th><td className="num">{money(bill.subtotal)}</td></tr>
          ) : null}
          {discounted ? (
            <tr>
              <th scope="row" colSpan={3}>Discount{bill.billDiscount?.reason ? ` (${bill.billDiscount.reason})` : ""}</th>
              <td className="num" data-testid="invoice-discount">−{money(bill.discountTotal)}</td>
            </tr>
          ) : null}
          {bill.taxBreakdown.map((t) => (
            <tr key={t.name} data-testid="invoice-tax">
              <th scope="row" colSpan={3}>{t.name} {t.percent}%{bill.pricesIncludeTax ? " (included)" : ""} on {t.taxableBase}</th>
              <td className="num">{money(t.tax)}</td>
            </tr>
          ))}
          {bill.cashRounding !== "0.00" ? (
            <tr><th scope="row" colSpan={3}>Cash rounding</th><td className="num">{money(bill.cashRounding)}</td></tr>
          ) : null}
          <tr className="invoice-total"><th scope="row" colSpan={3}>Total</th><td className="num" data-testid="invoice-total">{money(bill.totalAmount)}</td></tr>
          {bill.payments.map((p) => (
            <tr key={p.position} data-testid="invoice-payment">
              <th scope="row" colSpan={3}>{p.label ?? METHOD[p.method] ?? p.method}{p.reference ? ` (${p.reference})` : ""}</th>
              <td className="num">{money(p.tendered ?? p.amount)}</td>
            </tr>
          ))}
          {bill.refundedTotal !== "0.00" ? (
            <tr className="invoice-refunded"><th scope="row" colSpan={3}>Refunded by returns</th><td className="num" data-testid="invoice-refunded">−{money(bill.refundedTotal)}</td></tr>
          ) : null}
          {bill.changeDue !== "0.00" ? (
            <tr className="invoice-change"><th scope="row" colSpan={3}>Change</th><td className="num" data-testid="invoice-change">{money(bill.changeDue)}</td></tr>
          ) : null}
        </tfoot>
      </table>
      <p className="invoice-thanks">{shop?.receiptFooter ?? "Thank you for shopping with us."}</p>
    </article>
  );
}

export function PrintControls({ paper, setPaper, onPrint, children }: { paper: Paper; setPaper: (p: Paper) => void; onPrint?: () => void; children?: ReactNode }) {
  return (
    <div className="print-controls no-print">
      <button type="button" className="primary" onClick={onPrint ?? (() => window.print())}>Print</button>
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
