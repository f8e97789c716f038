// A manager's approval of a discount above the cashier limit: the approver
// types their username and PIN on the till, and the bill records who asked
// and who approved. Verifying a PIN needs staff accounts, which arrive with
// the identity work: that merge replaces the body of verifyDiscountApproval
// (look the staff member up by username, check the PIN with argon2 under the
// lockout rules, require DISCOUNT_OVER_LIMIT in their role) and nothing else.
import type pg from "pg";
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
 * Checks an approval inside the sale's transaction; returns the approver or
 * throws DiscountApprovalRequiredError saying why the approval does not count.
 * This build has no staff accounts, so no PIN can be verified yet.
 */
export async function verifyDiscountApproval(
  _client: pg.PoolClient,
  approval: DiscountApproval,
  refusal: { discountPercent: string; limitPercent: string },
): Promise<Approver> {
  throw new DiscountApprovalRequiredError(
    refusal.discountPercent,
    refusal.limitPercent,
    `A discount of ${refusal.discountPercent}% is above the ${refusal.limitPercent}% limit, and ${approval.username}'s approval cannot be checked: staff PINs are not set up on this server`,
  );
}
