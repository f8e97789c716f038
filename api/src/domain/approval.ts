// A manager's approval of a discount above the cashier limit: the approver
// types their username and PIN on the till, and the bill records who asked
// and who approved. The PIN is checked like a terminal unlock (argon2, the
// same lockout and per-address limits), and the approver's role must hold
// DISCOUNT_OVER_LIMIT.
import type { Database } from "../db/database.ts";
import { ROLE_PERMISSIONS } from "./access.ts";
import { InvalidCredentialsError, TooManyAttemptsError } from "./errors.ts";
import { checkPin } from "./staff.ts";
import { DiscountApprovalRequiredError } from "./totals-errors.ts";

export interface DiscountApproval {
  username: string;
  pin: string;
}

/** The approving staff member, as recorded on the bill (bills.discount_approved_by). */
export interface Approver {
  staffId: number;
  name: string;
}

/**
 * Checks an approval for a sale; returns the approver or throws
 * DiscountApprovalRequiredError saying why the approval does not count. A wrong
 * PIN is counted on the pool, outside the sale's transaction, so rolling the
 * sale back never forgets a failed attempt.
 */
export async function verifyDiscountApproval(
  db: Database,
  approval: DiscountApproval,
  refusal: { discountPercent: string; limitPercent: string },
  requestedFrom: string,
): Promise<Approver> {
  const refuse = (why: string) =>
    new DiscountApprovalRequiredError(refusal.discountPercent, refusal.limitPercent, `A discount of ${refusal.discountPercent}% is above the ${refusal.limitPercent}% limit: ${why}`);
  let staff;
  try {
    staff = await checkPin(db, { username: approval.username, secret: approval.pin, clientAddress: requestedFrom });
  } catch (err) {
    if (err instanceof InvalidCredentialsError || err instanceof TooManyAttemptsError) throw refuse(`the approval does not count (${err.message})`);
    throw err;
  }
  if (!ROLE_PERMISSIONS[staff.role].includes("DISCOUNT_OVER_LIMIT")) {
    throw refuse(`${staff.displayName} (${staff.role.toLowerCase()}) may not approve it; ask a manager or the owner`);
  }
  return { staffId: staff.id, name: staff.displayName };
}
