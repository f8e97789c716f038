// The refusals of a sale's arithmetic (payments, discounts, approvals, a total
// that moved), as typed errors every front door maps. Amounts are fixed-point
// strings so this file, like totals.ts, carries no Decimal class and bundles
// for the browser.
import { DomainError } from "./errors.ts";

/** The payments add up to less than the bill. Nothing was sold. */
export class PaymentShortError extends DomainError {
  readonly code = "PAYMENT_SHORT";
  constructor(
    readonly amountDue: string,
    readonly paid: string,
    readonly remaining: string,
  ) {
    super(`The payments cover ${paid} of ${amountDue}: ${remaining} is still due`);
  }
}

/** A card, mobile or other payment above what is still due: refused, never silently reduced (only cash gives change). */
export class PaymentExceedsDueError extends DomainError {
  readonly code = "PAYMENT_EXCEEDS_DUE";
  constructor(
    readonly paymentIndex: number,
    readonly method: string,
    readonly amount: string,
    readonly remaining: string,
  ) {
    super(`Payment ${paymentIndex + 1} (${method.toLowerCase()}) is ${amount} but only ${remaining} is still due; only cash can exceed what is due`);
  }
}

/** A payment after the bill is already paid in full. */
export class PaymentNotNeededError extends DomainError {
  readonly code = "PAYMENT_NOT_NEEDED";
  constructor(
    readonly paymentIndex: number,
    readonly method: string,
  ) {
    super(`Payment ${paymentIndex + 1} (${method.toLowerCase()}) is not needed: the bill is already paid in full`);
  }
}

export type PaymentProblem = PaymentShortError | PaymentExceedsDueError | PaymentNotNeededError;

/** The discount is above what the actor may give alone and no valid approval came with it. */
export class DiscountApprovalRequiredError extends DomainError {
  readonly code = "DISCOUNT_APPROVAL_REQUIRED";
  constructor(
    readonly discountPercent: string,
    readonly limitPercent: string,
    reason?: string,
  ) {
    super(reason ?? `A discount of ${discountPercent}% is above the ${limitPercent}% you may give: a manager must approve it with their PIN`);
  }
}

/** The client showed one total, the server now computes another (a price, rate or setting changed). Nothing was sold. */
export class TotalChangedError extends DomainError {
  readonly code = "TOTAL_CHANGED";
  constructor(
    readonly expectedTotal: string,
    readonly total: string,
  ) {
    super(`The total is now ${total}, not ${expectedTotal}: a price, tax rate or setting changed. Check the bill and confirm the new total`);
  }
}
