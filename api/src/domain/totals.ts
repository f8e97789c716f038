// The one totals function: a bill's arithmetic (lines, line and bill discounts
// and their allocation, tax, cash rounding, payments and change) as pure code
// with decimal arithmetic and no I/O. The server prices previewBill and
// createBill with it and the web cart imports this very file for its live
// totals, so the screen can never disagree with the receipt.
//
// Order (see ../shared/reference/pos-peers.md §2–3): price × qty, rounded to
// cents → line discount → bill discount allocated pro rata with leftover cents
// → tax on the discounted amount → line total; then payments in order, cash
// rounding only when the last payment is cash, kept as its own amount.
//
// Only type imports from the rest of the domain: this file must bundle for the
// browser (no Prisma, no Node).
import DecimalJs from "decimal.js";
import { ValidationError } from "./errors.ts";
import {
  PaymentExceedsDueError,
  PaymentNotNeededError,
  PaymentShortError,
  type PaymentProblem,
} from "./totals-errors.ts";

/** 40 significant digits: price (12,2) × quantity (12,3) never loses a digit. */
export const D = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP });
export type D = InstanceType<typeof D>;
export type DecimalLike = string | number | { toString(): string };

const ZERO = new D(0);
const CENT = new D("0.01");
const HUNDRED = new D(100);
const dec = (v: DecimalLike): D => (v instanceof D ? v : new D(v.toString()));
/** Half-up to cents (ties away from zero), the rule every stored amount follows. */
const cents = (v: D): D => v.toDecimalPlaces(2, D.ROUND_HALF_UP);

export const DISCOUNT_KINDS = ["PERCENT", "AMOUNT"] as const;
export type DiscountKind = (typeof DISCOUNT_KINDS)[number];
export interface Discount {
  kind: DiscountKind;
  /** A percent (0–100) or an amount of money. */
  value: DecimalLike;
}

export const TAX_ROUNDING = ["PER_LINE", "PER_BILL_PER_RATE"] as const;
export type TaxRounding = (typeof TAX_ROUNDING)[number];
/** Cash rounding increments a shop may choose; "0.00" means none. */
export const CASH_ROUNDING = ["0.00", "0.05", "0.10", "0.50", "1.00"] as const;
export type CashRounding = (typeof CASH_ROUNDING)[number];

export const PAYMENT_METHODS = ["CASH", "CARD", "MOBILE", "OTHER"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface TaxRateRef {
  /** The rate's id when it comes from the tax_rates table; lines group by it. */
  id?: number | null;
  name: string;
  percent: DecimalLike;
}

export interface TotalsLineInput {
  unitPrice: DecimalLike;
  quantity: DecimalLike;
  taxRate?: TaxRateRef | null;
  discount?: Discount | null;
}

export interface TotalsSettings {
  pricesIncludeTax: boolean;
  taxRounding: TaxRounding;
  cashRounding: DecimalLike;
}

export interface PaymentInput {
  method: PaymentMethod;
  /** For cash, what the customer handed over (the tendered amount); otherwise the amount charged. */
  amount: DecimalLike;
}

export interface TotalsInput {
  lines: readonly TotalsLineInput[];
  billDiscount?: Discount | null;
  settings: TotalsSettings;
}

export interface LineTotals {
  /** round(price × qty, 2): what the line costs before discounts. */
  amount: D;
  lineDiscount: D;
  /** This line's share of the bill discount. */
  billDiscountShare: D;
  /** The amount tax is computed on (excluding tax). */
  taxableBase: D;
  tax: D;
  /** What the line charges: after discounts, tax included. */
  total: D;
}

export interface TaxBreakdownEntry {
  rateId: number | null;
  name: string;
  percent: D;
  taxableBase: D;
  tax: D;
}

export interface Totals {
  lines: LineTotals[];
  /** Σ line amounts (price × qty), before discounts. */
  subtotal: D;
  lineDiscountTotal: D;
  billDiscount: D;
  /** Line discounts + bill discount. */
  discountTotal: D;
  taxTotal: D;
  taxBreakdown: TaxBreakdownEntry[];
  /** Σ line totals: what is owed before any cash rounding. */
  total: D;
  pricesIncludeTax: boolean;
}

export interface SettledPayment {
  method: PaymentMethod;
  /** The part of the bill this payment pays. */
  amount: D;
  /** Cash only: what was handed over. */
  tendered: D | null;
  /** Cash only: tendered − amount. */
  change: D;
}

export interface Settlement {
  payments: SettledPayment[];
  /** Cash rounding of the part paid in cash (0 unless the last payment is cash). */
  cashRounding: D;
  /** totals.total + cashRounding: what the customer pays in the end. */
  amountDue: D;
  paid: D;
  /** Still to pay (0 when settled). */
  remaining: D;
  change: D;
  /** Why these payments cannot settle the bill, if they cannot. */
  problem: PaymentProblem | null;
}

export interface Bill extends Totals {
  settlement: Settlement;
}

/** A line or bill discount in money: a percent of `amount` (half-up to cents) or the amount itself. */
function discountAmount(d: Discount | null | undefined, amount: D): D {
  if (!d) return ZERO;
  const v = dec(d.value);
  return d.kind === "PERCENT" ? cents(amount.mul(v).div(HUNDRED)) : v;
}

/** A discount is never a negative line: it may take an amount down to 0, no further. */
const discountTooLarge = (path: (string | number)[], discount: D, amount: D) =>
  ValidationError.one(path, `is ${discount.toFixed(2)}, more than the ${amount.toFixed(2)} it applies to`, "DISCOUNT_TOO_LARGE");

/**
 * Splits `total` (whole cents) over `weights` in proportion, exactly: each share
 * is first rounded down to cents, then the leftover cents go one each to the
 * largest remainders (ties: the earlier line). So shares sum to `total` and,
 * when total ≤ Σ weights, no share exceeds its weight.
 */
export function allocate(total: DecimalLike, weights: readonly DecimalLike[]): D[] {
  const t = dec(total);
  const w = weights.map(dec);
  const sum = w.reduce((a, b) => a.add(b), ZERO);
  if (t.isZero() || sum.isZero()) return w.map(() => ZERO);
  const exact = w.map((x) => t.mul(x).div(sum));
  const floors = exact.map((x) => x.toDecimalPlaces(2, D.ROUND_DOWN));
  let leftover = t.sub(floors.reduce((a, b) => a.add(b), ZERO)).div(CENT).round().toNumber();
  const order = exact
    .map((x, i) => ({ i, rem: x.sub(floors[i]!) }))
    .sort((a, b) => b.rem.comparedTo(a.rem) || a.i - b.i);
  const shares = [...floors];
  for (let k = 0; leftover > 0; k = (k + 1) % order.length, leftover--) {
    const i = order[k]!.i;
    shares[i] = shares[i]!.add(CENT);
  }
  return shares;
}

/** Tax contained in or added to `amount` at `percent`, before rounding. */
function rawTax(amount: D, percent: D, inclusive: boolean): D {
  return inclusive ? amount.mul(percent).div(HUNDRED.add(percent)) : amount.mul(percent).div(HUNDRED);
}

const rateKey = (r: TaxRateRef) => (r.id != null ? `id:${r.id}` : `rate:${r.name}\u0000${dec(r.percent).toString()}`);

/** Lines, discounts and tax: everything but the payments. */
export function computeTotals(input: TotalsInput): Totals {
  const { settings } = input;
  const inclusive = settings.pricesIncludeTax;

  const amounts = input.lines.map((l) => cents(dec(l.unitPrice).mul(dec(l.quantity))));
  const lineDiscounts = input.lines.map((l, i) => {
    const d = discountAmount(l.discount, amounts[i]!);
    if (d.greaterThan(amounts[i]!)) throw discountTooLarge(["lines", i, "discount"], d, amounts[i]!);
    return d;
  });
  const nets = amounts.map((a, i) => a.sub(lineDiscounts[i]!));
  const netSum = nets.reduce((a, b) => a.add(b), ZERO);
  const billDiscount = discountAmount(input.billDiscount, netSum);
  if (billDiscount.greaterThan(netSum)) throw discountTooLarge(["billDiscount"], billDiscount, netSum);
  const shares = allocate(billDiscount, nets);
  const discounted = nets.map((n, i) => n.sub(shares[i]!));

  // Tax per line, or per rate over the bill and then spread back over its lines.
  const taxes: D[] = input.lines.map(() => ZERO);
  const groups = new Map<string, { rate: TaxRateRef; percent: D; lines: number[] }>();
  input.lines.forEach((l, i) => {
    if (!l.taxRate) return;
    const key = rateKey(l.taxRate);
    const g = groups.get(key) ?? { rate: l.taxRate, percent: dec(l.taxRate.percent), lines: [] };
    g.lines.push(i);
    groups.set(key, g);
  });
  for (const g of groups.values()) {
    if (settings.taxRounding === "PER_LINE") {
      for (const i of g.lines) taxes[i] = cents(rawTax(discounted[i]!, g.percent, inclusive));
    } else {
      const groupAmount = g.lines.reduce((a, i) => a.add(discounted[i]!), ZERO);
      const groupTax = cents(rawTax(groupAmount, g.percent, inclusive));
      allocate(groupTax, g.lines.map((i) => discounted[i]!)).forEach((t, k) => (taxes[g.lines[k]!] = t));
    }
  }

  const lines: LineTotals[] = input.lines.map((_, i) => {
    const tax = taxes[i]!;
    const base = inclusive ? discounted[i]!.sub(tax) : discounted[i]!;
    return {
      amount: amounts[i]!,
      lineDiscount: lineDiscounts[i]!,
      billDiscountShare: shares[i]!,
      taxableBase: base,
      tax,
      total: base.add(tax),
    };
  });
  const sum = (pick: (l: LineTotals) => D) => lines.reduce((a, l) => a.add(pick(l)), ZERO);
  const taxBreakdown: TaxBreakdownEntry[] = [...groups.values()].map((g) => ({
    rateId: g.rate.id ?? null,
    name: g.rate.name,
    percent: g.percent,
    taxableBase: g.lines.reduce((a, i) => a.add(lines[i]!.taxableBase), ZERO),
    tax: g.lines.reduce((a, i) => a.add(lines[i]!.tax), ZERO),
  }));
  const lineDiscountTotal = sum((l) => l.lineDiscount);
  return {
    lines,
    subtotal: sum((l) => l.amount),
    lineDiscountTotal,
    billDiscount,
    discountTotal: lineDiscountTotal.add(billDiscount),
    taxTotal: sum((l) => l.tax),
    taxBreakdown,
    total: sum((l) => l.total),
    pricesIncludeTax: inclusive,
  };
}

/** Rounds to the nearest multiple of `increment`, halves up; an increment of 0 leaves the amount alone. */
export function roundToIncrement(amount: D, increment: DecimalLike): D {
  const inc = dec(increment);
  if (inc.isZero()) return amount;
  return amount.div(inc).toDecimalPlaces(0, D.ROUND_HALF_UP).mul(inc);
}

/**
 * Applies payments in order to what is owed. Non-cash payments must not exceed
 * what is still due (never silently reduced); cash may, and the excess is
 * change. When the last payment is cash, the part it pays is cash-rounded and
 * the difference kept as cashRounding. No payments at all means cash paid
 * exactly (the original API's sale). A problem is reported, not thrown, so a
 * cart can show "still to pay" while the cashier types.
 */
export function settle(total: D, payments: readonly PaymentInput[], cashRoundingIncrement: DecimalLike): Settlement {
  const list: readonly PaymentInput[] = payments.length ? payments : [{ method: "CASH", amount: roundToIncrement(total, cashRoundingIncrement) }];
  const lastIsCash = list[list.length - 1]!.method === "CASH";
  let remaining = total;
  let cashRounding = ZERO;
  let problem: PaymentProblem | null = null;
  const settled: SettledPayment[] = [];
  list.forEach((p, i) => {
    const amount = dec(p.amount);
    if (i === list.length - 1 && lastIsCash) {
      const rounded = roundToIncrement(remaining, cashRoundingIncrement);
      cashRounding = rounded.sub(remaining);
      remaining = rounded;
    }
    if (problem) return;
    if (remaining.isZero() && !(payments.length === 0)) {
      problem = new PaymentNotNeededError(i, p.method);
      return;
    }
    if (p.method === "CASH") {
      const applied = D.min(amount, remaining);
      settled.push({ method: "CASH", amount: applied, tendered: amount, change: amount.sub(applied) });
      remaining = remaining.sub(applied);
    } else {
      if (amount.greaterThan(remaining)) {
        problem = new PaymentExceedsDueError(i, p.method, amount.toFixed(2), remaining.toFixed(2));
        return;
      }
      settled.push({ method: p.method, amount, tendered: null, change: ZERO });
      remaining = remaining.sub(amount);
    }
  });
  const amountDue = total.add(cashRounding);
  const paid = settled.reduce((a, s) => a.add(s.amount), ZERO);
  if (!problem && remaining.greaterThan(0)) problem = new PaymentShortError(amountDue.toFixed(2), paid.toFixed(2), remaining.toFixed(2));
  return {
    payments: payments.length || !amountDue.isZero() ? settled : [],
    cashRounding,
    amountDue,
    paid,
    remaining,
    change: settled.reduce((a, s) => a.add(s.change), ZERO),
    problem,
  };
}

/** The whole bill; throws the payment problem, if any, as the typed error it is. */
export function computeBill(input: TotalsInput & { payments?: readonly PaymentInput[] }): Bill {
  const totals = computeTotals(input);
  const settlement = settle(totals.total, input.payments ?? [], input.settings.cashRounding);
  if (settlement.problem) throw settlement.problem;
  return { ...totals, settlement };
}

/** The effective discount as a percent of the subtotal (0 for an empty bill), for role limits. */
export function discountPercent(totals: Pick<Totals, "subtotal" | "discountTotal">): D {
  return totals.subtotal.isZero() ? ZERO : totals.discountTotal.mul(HUNDRED).div(totals.subtotal);
}

// ---- returns ----------------------------------------------------------------

/** One bill line as stored, and how much of it a return takes back. */
export interface RefundLineInput {
  /** Sold quantity and what the line charged (after discounts, tax included), as stored on the bill. */
  quantity: DecimalLike;
  chargedTotal: DecimalLike;
  taxAmount: DecimalLike;
  /** Line discount + bill-discount share the line was given. */
  discount: DecimalLike;
  /** Already returned by earlier returns. */
  returnedBefore: DecimalLike;
  /** Returned now (0 < returning ≤ quantity − returnedBefore; the caller checks). */
  returning: DecimalLike;
}

export interface RefundLineShare {
  /** What goes back for these units, tax included. */
  refund: D;
  tax: D;
  discount: D;
}

/**
 * The part of `amount` that the first `n` of `q` units carry: pro rata to
 * cents, and exactly `amount` once all have come back. A return's share is
 * share(returnedBefore + returning) − share(returnedBefore), so several
 * partial returns add up to the line, and the return that takes the last unit
 * takes the leftover cents.
 */
function unitsShare(amount: D, n: D, q: D): D {
  if (n.gte(q)) return amount;
  return cents(amount.mul(n).div(q));
}

/** What returning some units of one bill line refunds: its net paid per unit (discounts and tax share included). */
export function refundLineShare(line: RefundLineInput): RefundLineShare {
  const q = dec(line.quantity);
  const before = dec(line.returnedBefore);
  const after = before.add(dec(line.returning));
  const part = (amount: DecimalLike) => unitsShare(dec(amount), after, q).sub(unitsShare(dec(amount), before, q));
  const refund = part(line.chargedTotal);
  // Rounding both pro rata can put a cent more of tax than of money on a tiny return; tax never exceeds the refund.
  return { refund, tax: D.min(part(line.taxAmount), refund), discount: part(line.discount) };
}

export interface RefundInput {
  lines: readonly RefundLineInput[];
  /** What the customer paid for the bill (total_amount: cash rounding included) and what returns have refunded already. */
  billTotal: DecimalLike;
  billRefunded: DecimalLike;
  /** After this return every unit of every line of the bill is back. */
  completesBill: boolean;
}

export interface Refund {
  lines: RefundLineShare[];
  /** Σ line refunds + rounding: what this return pays back. */
  total: D;
  tax: D;
  discount: D;
  /**
   * The bill's cash rounding given back (or kept) by the return that completes
   * the bill, so a full return refunds exactly what was paid; also any amount
   * that would take the refunds past what was paid (never refunded).
   */
  rounding: D;
}

/** A return's refund: its lines' shares, and never more than what is left of what the customer paid. */
export function computeRefund(input: RefundInput): Refund {
  const lines = input.lines.map(refundLineShare);
  const sum = (pick: (l: RefundLineShare) => D) => lines.reduce((a, l) => a.add(pick(l)), ZERO);
  const lineSum = sum((l) => l.refund);
  const left = dec(input.billTotal).sub(dec(input.billRefunded));
  const total = input.completesBill ? left : D.max(ZERO, D.min(lineSum, left));
  return { lines, total, tax: sum((l) => l.tax), discount: sum((l) => l.discount), rounding: total.sub(lineSum) };
}

/** One way the bill was paid, and how much of it returns have already paid back. */
export interface RefundablePayment {
  method: PaymentMethod;
  paid: DecimalLike;
  refunded: DecimalLike;
}

/**
 * A refund back to the bill's own payment methods: card, mobile and other
 * payments first (in the bill's order, each up to what it paid less what was
 * already refunded to it), cash last and taking whatever is left, so the
 * drawer pays out only what cannot go back electronically.
 */
export function splitRefund(total: DecimalLike, payments: readonly RefundablePayment[]): { method: PaymentMethod; amount: D }[] {
  let remaining = dec(total);
  const out: { method: PaymentMethod; amount: D }[] = [];
  const ordered = [...payments.filter((p) => p.method !== "CASH"), ...payments.filter((p) => p.method === "CASH")];
  ordered.forEach((p, i) => {
    if (remaining.lte(0)) return;
    const open = D.max(ZERO, dec(p.paid).sub(dec(p.refunded)));
    const isLast = i === ordered.length - 1;
    // The last method takes any remainder (e.g. the bill's cash rounding), so the split always adds up.
    const amount = isLast ? remaining : D.min(open, remaining);
    if (amount.gt(0)) out.push({ method: p.method, amount });
    remaining = remaining.sub(amount);
  });
  if (remaining.gt(0)) out.push({ method: "CASH", amount: remaining }); // a bill with no payments rows (paid exactly in cash)
  return out;
}
