"use client";
// /pos: the counter. Search (or scan a SKU), take quantities, generate the bill
// once, print it. The cart lives in localStorage with its idempotency key, so a
// reload keeps it and a retry can never make a second bill.
import { useEffect, useRef, useState } from "react";
import type { Settlement, TotalsSettings } from "@storelite/api/domain/totals";
import { useClient } from "urql";
import {
  ItemDocument,
  useCreateBillMutation,
  useShopSettingsQuery,
  type BillFieldsFragment,
  type PosItemFieldsFragment,
} from "../../gql/graphql.ts";
import { displayQuantity, parseSaleQuantity } from "../../lib/decimal.ts";
import {
  addItem,
  cartIsValid,
  cartTotals,
  emptyCart,
  parseDiscount,
  parsePercent,
  PLAIN_SETTINGS,
  setLineDiscount,
  type DraftPayment,
  isMeasuredUnit,
  loadCart,
  newIdempotencyKey,
  removeLine,
  saveCart,
  setQuantity,
  STORE_NAME_KEY,
  type Cart,
} from "../../lib/cart.ts";
import { Invoice, PrintControls, usePaper } from "../bills/Invoice.tsx";
import { ApprovalDialog, type ApprovalRequest } from "./ApprovalDialog.tsx";
import { CartLineRow } from "./CartLineRow.tsx";
import { ItemSearch } from "./ItemSearch.tsx";
import { PayStep } from "./PayStep.tsx";
import { ShiftBar, useRegister } from "../shifts/ShiftBar.tsx";

/** Why the server refused a line, shown on that line. */
export interface LineProblem {
  message: string;
  available?: string;
}

/** A sale the server refused for an over-limit discount, waiting for a manager's PIN. */
interface AwaitingApproval {
  kind: "approving";
  payments: DraftPayment[];
  settlement: Settlement;
  request: ApprovalRequest;
  busy: boolean;
}

type Phase = { kind: "editing" } | { kind: "paying" } | { kind: "submitting" } | AwaitingApproval | { kind: "done"; bill: BillFieldsFragment; replayed: boolean };

/**
 * `staffId`: who is selling; the saved cart is theirs only (the next cashier starts empty).
 * `terminalName`: a registered terminal's name, which is also its register.
 */
export function PosScreen({ staffId, terminalName }: { staffId: number; terminalName?: string | null }) {
  const [cart, setCart] = useState<Cart>(() => loadCart(staffId));
  const [storeName, setStoreName] = useState(() => localStorage.getItem(STORE_NAME_KEY) ?? "");
  const [phase, setPhase] = useState<Phase>({ kind: "editing" });
  const [problems, setProblems] = useState<Record<number, LineProblem>>({});
  const [message, setMessage] = useState<{ kind: "error" | "ok"; text: string; billId?: number } | null>(null);
  const [paper, setPaper] = usePaper();
  const [, createBill] = useCreateBillMutation();
  const client = useClient();
  const [{ data: shop }, refetchSettings] = useShopSettingsQuery();
  const s = shop?.shopSettings;
  const settings: TotalsSettings = s ? { pricesIncludeTax: s.pricesIncludeTax, taxRounding: s.taxRounding, cashRounding: s.cashRounding } : PLAIN_SETTINGS;
  const inFlight = useRef(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const [focusLine, setFocusLine] = useState<number | null>(null);
  const [register, setRegister] = useRegister(terminalName);
  // With shifts on, a sale needs an open shift on this register (the server refuses one without).
  const shiftsOn = s?.shiftsEnabled ?? false;
  const [openShiftId, setOpenShiftId] = useState<number | null>(null);
  const [salesMade, setSalesMade] = useState(0);
  const drawerReady = !shiftsOn || openShiftId !== null;

  useEffect(() => saveCart(staffId, cart), [staffId, cart]);
  useEffect(() => localStorage.setItem(STORE_NAME_KEY, storeName), [storeName]);
  // F2 from anywhere on the counter: go to payment.
  const canPay = phase.kind === "editing" && cartIsValid(cart) && drawerReady;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "F2" && canPay) {
        e.preventDefault();
        setMessage(null);
        setPhase({ kind: "paying" });
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [canPay]);

  const editing = phase.kind === "editing";
  const cartQty = new Map(cart.lines.map((l) => [l.itemId, parseSaleQuantity(l.quantity) ?? "0"]));

  function add(item: PosItemFieldsFragment) {
    setMessage(null);
    setCart((c) => addItem(c, item));
    // Weighed goods need a weight typed; pieces are usually scanned one after another.
    if (isMeasuredUnit(item.unit)) setFocusLine(item.id);
    else searchRef.current?.focus();
  }

  /** Sends the sale; `approval` is a manager's username and PIN for an over-limit discount. */
  async function complete(payments: DraftPayment[], settlement: Settlement, approval?: { username: string; pin: string }) {
    // The ref, not state: a second click in the same tick must not send again.
    if (inFlight.current || (phase.kind !== "paying" && phase.kind !== "approving") || !cartIsValid(cart)) return;
    inFlight.current = true;
    const awaiting = phase.kind === "approving" ? phase : null;
    setPhase(awaiting ? { ...awaiting, busy: true } : { kind: "submitting" });
    setProblems({});
    setMessage(null);
    const sent = cart;
    const result = await createBill({
      input: {
        lines: sent.lines.map((l) => {
          const pct = parsePercent(l.discountPercent);
          return { itemId: l.itemId, quantity: parseSaleQuantity(l.quantity) ?? l.quantity, ...(pct ? { discount: { kind: "PERCENT" as const, value: pct } } : {}) };
        }),
        customerName: sent.customerName.trim() || null,
        storeName: storeName.trim() || null,
        idempotencyKey: sent.idempotencyKey,
        billDiscount: parseDiscount(sent.billDiscount),
        payments: payments.map((p) => ({ method: p.method, amount: p.amount.trim(), reference: p.reference?.trim() || null })),
        // What the screen showed: if the server's total differs, nothing is sold and we say so.
        expectedTotal: settlement.amountDue.toFixed(2),
        ...(approval ? { approval } : {}),
        ...(shiftsOn ? { register } : {}),
      },
    });
    inFlight.current = false;
    const answer = result.data?.createBill;
    if (!answer) {
      // No answer (network, server down): the bill may or may not exist. Same key on retry.
      if (awaiting) {
        setPhase({ ...awaiting, busy: false, request: { ...awaiting.request, error: `No answer from the server (${result.error?.message ?? "unknown error"}). Approve again — it will not make a second bill.` } });
        return;
      }
      setPhase({ kind: "paying" });
      setMessage({ kind: "error", text: `No answer from the server (${result.error?.message ?? "unknown error"}). Press Complete sale again — it will not make a second bill.` });
      return;
    }
    if (answer.__typename === "CreateBillSuccess") {
      setPhase({ kind: "done", bill: answer.bill, replayed: answer.replayed });
      setCart(emptyCart());
      setSalesMade((n) => n + 1);
      return;
    }
    if (answer.__typename === "DiscountApprovalRequiredError") {
      // Nothing was sold and the key is still unused: ask for (another) manager's PIN and send the same sale again.
      // A refused approval says why (wrong PIN, not a manager, locked out) in the dialog.
      setPhase({
        kind: "approving",
        payments,
        settlement,
        busy: false,
        request: {
          discountPercent: answer.discountPercent,
          limitPercent: answer.limitPercent,
          error: approval ? answer.message : null,
          attempt: (awaiting?.request.attempt ?? 0) + 1,
        },
      });
      return;
    }
    // A typed refusal: no bill was made with this key, so the next try gets a fresh one.
    setPhase({ kind: "editing" });
    setCart((c) => ({ ...c, idempotencyKey: newIdempotencyKey() }));
    switch (answer.__typename) {
      case "InsufficientStockError": {
        const byItem: Record<number, LineProblem> = {};
        for (const s of answer.shortages) {
          byItem[s.itemId] = { message: `Only ${displayQuantity(s.available)} ${s.unit} available`, available: s.available };
        }
        setProblems(byItem);
        setMessage({ kind: "error", text: answer.message });
        break;
      }
      case "ItemInactiveError":
        setProblems({ [answer.itemId]: { message: "No longer on sale — remove it" } });
        setMessage({ kind: "error", text: answer.message });
        break;
      case "TotalChangedError": {
        // A price, rate or setting changed: reload what prices the cart (settings, each line's price and rate)
        // so the screen shows the server's total, and let the cashier take the payment again.
        refetchSettings({ requestPolicy: "network-only" });
        const fresh = await Promise.all(sent.lines.map((l) => client.query(ItemDocument, { id: l.itemId }, { requestPolicy: "network-only" }).toPromise()));
        setCart((c) => ({
          ...c,
          lines: c.lines.map((l) => {
            const item = fresh.find((r) => r.data?.item?.id === l.itemId)?.data?.item;
            return item ? { ...l, unitPrice: item.unitPrice, taxRate: item.taxRate ?? null } : l;
          }),
        }));
        setPhase({ kind: "editing" });
        setMessage({ kind: "error", text: `${answer.message}. The server's total is ${answer.total}: check the bill and press Pay again.` });
        break;
      }
      case "PaymentShortError":
      case "PaymentExceedsDueError":
      case "PaymentNotNeededError":
        setPhase({ kind: "paying" });
        setMessage({ kind: "error", text: answer.message });
        break;
      case "IdempotencyKeyReusedError":
        setMessage({ kind: "error", text: `${answer.message} The earlier bill is #${answer.billId}.`, billId: answer.billId });
        break;
      case "ValidationError": {
        const byItem: Record<number, LineProblem> = {};
        for (const fe of answer.fieldErrors) {
          const index = fe.path[0] === "lines" ? Number(fe.path[1]) : NaN;
          const line = Number.isInteger(index) ? sent.lines[index] : undefined;
          if (line) byItem[line.itemId] = { message: fe.message };
        }
        setProblems(byItem);
        setMessage({ kind: "error", text: answer.message });
        break;
      }
      case "ShiftNotOpenError":
        // The shift was closed elsewhere: show it, so the cashier opens one.
        setSalesMade((n) => n + 1);
        setMessage({ kind: "error", text: answer.message });
        break;
      default:
        setMessage({ kind: "error", text: answer.message });
    }
  }

  function newBill() {
    setPhase({ kind: "editing" });
    setProblems({});
    setMessage(null);
    setCart(emptyCart());
    setTimeout(() => searchRef.current?.focus(), 0);
  }

  const drawer = shiftsOn ? (
    <ShiftBar
      register={register}
      setRegister={setRegister}
      fixedRegister={!!terminalName?.trim()}
      refreshKey={salesMade}
      currency={s?.currency}
      onShift={(shift) => setOpenShiftId(shift?.id ?? null)}
    />
  ) : null;

  if (phase.kind === "done") {
    return (
      <div className="pos-done">
        <PrintControls paper={paper} setPaper={setPaper}>
          <button type="button" onClick={newBill} autoFocus>New Bill</button>
          {phase.replayed ? <span className="muted">This bill was already made; shown again, not made twice.</span> : null}
        </PrintControls>
        <Invoice bill={phase.bill} paper={paper} />
      </div>
    );
  }

  const { totals, problem: discountProblem } = cartTotals(cart, settings);
  const valid = cartIsValid(cart) && !discountProblem;
  const paying = phase.kind === "paying" || phase.kind === "submitting" || phase.kind === "approving";
  const lineAmounts = new Map<number, string>();
  cart.lines.filter((l) => parseSaleQuantity(l.quantity)).forEach((l, i) => {
    const t = totals.lines[i];
    if (t) lineAmounts.set(l.itemId, t.amount.sub(t.lineDiscount).toFixed(2));
  });
  return (
    <>
    {drawer}
    <div className="pos">
      <section className="panel pos-search" aria-labelledby="pos-search-title">
        <h1 id="pos-search-title" className="sr-only">Point of sale</h1>
        {paying ? (
          <PayStep
            totals={totals}
            settings={settings}
            busy={phase.kind === "submitting" || phase.kind === "approving"}
            onBack={() => {
              setPhase({ kind: "editing" });
              setTimeout(() => searchRef.current?.focus(), 0);
            }}
            onPay={complete}
          />
        ) : null}
        {phase.kind === "approving" ? (
          <ApprovalDialog
            request={phase.request}
            busy={phase.busy}
            onApprove={(approval) => void complete(phase.payments, phase.settlement, approval)}
            onCancel={() => {
              setPhase({ kind: "editing" });
              setMessage({ kind: "error", text: `Not sold: a discount above ${phase.request.limitPercent}% needs a manager's approval. Lower it, or ask a manager and pay again.` });
              setTimeout(() => searchRef.current?.focus(), 0);
            }}
          />
        ) : null}
        {paying ? null : (
          <ItemSearch inputRef={searchRef} onAdd={add} cartQty={cartQty} cartPending={false} />
        )}
      </section>

      <section className="panel pos-cart" aria-labelledby="cart-title">
        <div className="panel-head">
          <h2 id="cart-title">Current bill</h2>
          <span className="muted">{cart.lines.length} {cart.lines.length === 1 ? "item" : "items"}</span>
        </div>
        <div className="row2">
          <label className="field">
            <span>Store name</span>
            <input value={storeName} onChange={(e) => setStoreName(e.target.value)} placeholder="Shown on the invoice" autoComplete="organization" />
          </label>
          <label className="field">
            <span>Customer (optional)</span>
            <input value={cart.customerName} onChange={(e) => setCart((c) => ({ ...c, customerName: e.target.value }))} autoComplete="off" disabled={!editing} />
          </label>
        </div>
        {cart.lines.length === 0 ? (
          <p className="empty-cart">Search or scan an item to start the bill.</p>
        ) : (
          <div className="table-wrap">
            <table className="cart">
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col" className="num">Price</th>
                  <th scope="col" className="num">Qty</th>
                  <th scope="col" className="num">Disc %</th>
                  <th scope="col" className="num">Amount</th>
                  <th scope="col"><span className="sr-only">Remove</span></th>
                </tr>
              </thead>
              <tbody>
                {cart.lines.map((line) => (
                  <CartLineRow
                    key={line.itemId}
                    line={line}
                    pending={paying}
                    amount={lineAmounts.get(line.itemId) ?? null}
                    onDiscount={(pct) => setCart((c) => setLineDiscount(c, line.itemId, pct))}
                    problem={problems[line.itemId]}
                    autoFocus={focusLine === line.itemId}
                    onFocused={() => setFocusLine(null)}
                    onQuantity={(q) => {
                      setCart((c) => setQuantity(c, line.itemId, q));
                      setProblems(({ [line.itemId]: _, ...rest }) => rest);
                    }}
                    onRemove={() => {
                      setCart((c) => removeLine(c, line.itemId));
                      setProblems(({ [line.itemId]: _, ...rest }) => rest);
                      searchRef.current?.focus();
                    }}
                    onDone={() => searchRef.current?.focus()}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div className="row2 bill-discount">
          <label className="field">
            <span>Bill discount</span>
            <span className="inline">
              <input
                inputMode="decimal"
                aria-label="Bill discount"
                value={cart.billDiscount?.value ?? ""}
                placeholder="0"
                disabled={!editing}
                onChange={(e) => setCart((c) => ({ ...c, billDiscount: { kind: c.billDiscount?.kind ?? "PERCENT", value: e.target.value } }))}
              />
              <button
                type="button"
                aria-label="Bill discount kind"
                title="Percent or amount (click to switch)"
                disabled={!editing}
                onClick={() => setCart((c) => ({ ...c, billDiscount: { kind: c.billDiscount?.kind === "AMOUNT" ? "PERCENT" : "AMOUNT", value: c.billDiscount?.value ?? "" } }))}
              >
                {cart.billDiscount?.kind === "AMOUNT" ? "amount" : "%"}
              </button>
            </span>
          </label>
        </div>
        <dl className="cart-totals">
          <div><dt>Subtotal</dt><dd data-testid="cart-subtotal">{totals.subtotal.toFixed(2)}</dd></div>
          {totals.discountTotal.isZero() ? null : <div><dt>Discount</dt><dd data-testid="cart-discount">−{totals.discountTotal.toFixed(2)}</dd></div>}
          {totals.taxBreakdown.map((b) => (
            <div key={`${b.rateId}-${b.name}`}>
              <dt>{b.name} ({b.percent.toString()}%){totals.pricesIncludeTax ? " incl." : ""}</dt>
              <dd data-testid="cart-tax">{b.tax.toFixed(2)}</dd>
            </div>
          ))}
        </dl>
        <div className="cart-total">
          <span>Total</span>
          <strong data-testid="cart-total">{totals.total.toFixed(2)}</strong>
        </div>
        {discountProblem ? <p className="status error" role="alert">Discount: {discountProblem}</p> : null}
        {!drawerReady ? <p className="status error" role="status" data-testid="shift-required">Open a shift on {register} before the first sale.</p> : null}
        {message ? (
          <p className={`status ${message.kind}`} role="alert">
            {message.text} {message.billId ? <a href={`/bills/${message.billId}`}>Open bill #{message.billId}</a> : null}
          </p>
        ) : null}
        <div className="cart-actions">
          <button type="button" className="primary big" onClick={() => { setMessage(null); setPhase({ kind: "paying" }); }} disabled={!valid || !editing || !drawerReady} aria-keyshortcuts="F2">
            Pay (F2)
          </button>
          <button
            type="button"
            onClick={() => {
              setCart(emptyCart());
              setProblems({});
              setMessage(null);
              searchRef.current?.focus();
            }}
            disabled={!editing || cart.lines.length === 0}
          >
            Clear
          </button>
        </div>
      </section>
    </div>
    </>
  );
}
