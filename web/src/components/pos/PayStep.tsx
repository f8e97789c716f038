"use client";
// The pay step: what is due, cash tendered (quick amounts) → change, a card or
// wallet payment, or both (split). Everything shown comes from the same totals
// module the server runs; Enter completes the sale, Escape goes back.
import { useState } from "react";
import type { Settlement, Totals, TotalsSettings } from "@storelite/api/domain/totals";
import { cartSettlement, type DraftPayment } from "../../lib/cart.ts";
import { formatFixed, parseFixed } from "../../lib/decimal.ts";

/** Exact, then the next round notes above it. */
export function quickAmounts(due: string): string[] {
  const units = parseFixed(due, 2) ?? 0n;
  const out = new Set<string>([formatFixed(units, 2)]);
  for (const note of [10000n, 50000n, 100000n, 500000n]) {
    const up = ((units + note - 1n) / note) * note;
    if (up > units) out.add(formatFixed(up, 2));
  }
  return [...out].slice(0, 4);
}

export function PayStep(props: {
  totals: Totals;
  settings: TotalsSettings;
  busy: boolean;
  onBack: () => void;
  onPay: (payments: DraftPayment[], settlement: Settlement) => void;
}) {
  const [cash, setCash] = useState("");
  const [other, setOther] = useState<DraftPayment>({ method: "CARD", amount: "", reference: "" });
  const payments: DraftPayment[] = [...(other.amount.trim() ? [other] : []), ...(cash.trim() ? [{ method: "CASH" as const, amount: cash }] : [])];
  // Nothing typed yet: cash, exactly.
  const settlement = cartSettlement(props.totals, payments, props.settings);
  const ready = payments.length === 0 ? settlement.problem === null : settlement.problem === null && settlement.remaining.isZero();
  const due = settlement.amountDue.toFixed(2);
  const nonCashDue = cartSettlement(props.totals, [], { ...props.settings, cashRounding: "0.00" }).amountDue.toFixed(2);
  // What cash still has to cover after the card part (cash-rounded): the last payment's share when cash tops it up.
  const topUp = cartSettlement(props.totals, [...(other.amount.trim() ? [other] : []), { method: "CASH", amount: "9999999999.99" }], props.settings);
  const cashDue = topUp.problem ? due : (topUp.payments.at(-1)?.amount.toFixed(2) ?? due);

  const pay = () => {
    if (ready && !props.busy) props.onPay(payments, settlement);
  };

  return (
    <section
      className="panel pay-step"
      aria-labelledby="pay-title"
      onKeyDown={(e) => {
        if (e.key === "Escape") props.onBack();
        if (e.key === "Enter" && !(e.target instanceof HTMLButtonElement)) {
          e.preventDefault();
          pay();
        }
      }}
    >
      <h2 id="pay-title">Payment</h2>
      <p className="pay-due">
        Amount due <strong data-testid="pay-due">{due}</strong>
        {!settlement.cashRounding.isZero() ? <small className="muted"> (cash rounding {settlement.cashRounding.toFixed(2)})</small> : null}
      </p>
      <div className="row2">
        <label className="field">
          <span>Cash tendered</span>
          <input autoFocus inputMode="decimal" value={cash} onChange={(e) => setCash(e.target.value)} aria-label="Cash tendered" placeholder={due} />
        </label>
        <div className="quick-amounts" role="group" aria-label="Quick amounts">
          {quickAmounts(cashDue).map((a) => (
            <button type="button" key={a} onClick={() => setCash(a)}>{a}</button>
          ))}
        </div>
      </div>
      <div className="row2">
        <label className="field">
          <span>Card / wallet</span>
          <span className="inline">
            <select aria-label="Other payment method" value={other.method} onChange={(e) => setOther({ ...other, method: e.target.value === "MOBILE" ? "MOBILE" : "CARD" })}>
              <option value="CARD">Card</option>
              <option value="MOBILE">Mobile wallet</option>
            </select>
            <input inputMode="decimal" aria-label="Card amount" value={other.amount} onChange={(e) => setOther({ ...other, amount: e.target.value })} placeholder={nonCashDue} />
          </span>
        </label>
        <label className="field">
          <span>Reference (last 4 digits, transaction id)</span>
          <input aria-label="Payment reference" value={other.reference ?? ""} onChange={(e) => setOther({ ...other, reference: e.target.value })} />
        </label>
      </div>
      <button type="button" onClick={() => setOther({ ...other, amount: nonCashDue })}>All by {other.method === "MOBILE" ? "wallet" : "card"}</button>
      <dl className="pay-summary">
        <div><dt>Paid</dt><dd data-testid="pay-paid">{settlement.paid.toFixed(2)}</dd></div>
        <div><dt>Still due</dt><dd data-testid="pay-remaining">{payments.length ? settlement.remaining.toFixed(2) : "0.00"}</dd></div>
        <div className="change"><dt>Change due</dt><dd data-testid="pay-change">{settlement.change.toFixed(2)}</dd></div>
      </dl>
      {settlement.problem && payments.length ? <p className="status error" role="alert">{settlement.problem.message}</p> : null}
      <div className="cart-actions">
        <button type="button" className="primary big" onClick={pay} disabled={!ready || props.busy} aria-busy={props.busy}>
          {props.busy ? "Completing…" : "Complete sale"}
        </button>
        <button type="button" onClick={props.onBack} disabled={props.busy}>Back to cart</button>
      </div>
    </section>
  );
}
