// A manager's approval of a discount above the cashier limit: the approver
// types their username and PIN on the till, and the bill records who asked
// and who approved. The PIN is checked like a terminal unlock (argon2, the
// same lockout and per-address limits), and the approver's role must hold
// DISCOUNT_OVER_LIMIT.
import type { Database } from "../db/database.ts";
import { ROLE_PERMISSIONS, type Permission } from "./access.ts";
import { ApprovalRequiredError, InvalidCredentialsError, TooManyAttemptsError, type DomainError } from "./errors.ts";
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
 * Checks that `approval` is the PIN of a staff member whose role holds
 * `permission`; returns them or throws `refuse(why)`. A wrong PIN is counted
 * on the pool, outside the caller's transaction, so rolling the caller back
 * never forgets a failed attempt.
 */
async function verifyApprover(db: Database, approval: DiscountApproval, permission: Permission, requestedFrom: string, refuse: (why: string) => DomainError): Promise<Approver> {
  let staff;
  try {
    staff = await checkPin(db, { username: approval.username, secret: approval.pin, clientAddress: requestedFrom });
  } catch (err) {
    if (err instanceof InvalidCredentialsError || err instanceof TooManyAttemptsError) throw refuse(`the approval does not count (${err.message})`);
    throw err;
  }
  if (!ROLE_PERMISSIONS[staff.role].includes(permission)) {
    throw refuse(`${staff.displayName} (${staff.role.toLowerCase()}) may not approve it; ask a manager or the owner`);
  }
  return { staffId: staff.id, name: staff.displayName };
}

/** Checks an approval for a sale; throws DiscountApprovalRequiredError saying why the approval does not count. */
export async function verifyDiscountApproval(
  db: Database,
  approval: DiscountApproval,
  refusal: { discountPercent: string; limitPercent: string },
  requestedFrom: string,
): Promise<Approver> {
  return verifyApprover(db, approval, "DISCOUNT_OVER_LIMIT", requestedFrom, (why) =>
    new DiscountApprovalRequiredError(refusal.discountPercent, refusal.limitPercent, `A discount of ${refusal.discountPercent}% is above the ${refusal.limitPercent}% limit: ${why}`),
  );
}

/**
 * Someone without `permission` (a cashier returning goods, voiding a bill)
 * asks a manager on the spot: no approval → ApprovalRequiredError; an
 * approval that does not count → the same error saying why.
 */
export async function verifyManagerApproval(db: Database, approval: DiscountApproval | null, permission: Permission, what: string, requestedFrom: string): Promise<Approver> {
  if (!approval) throw new ApprovalRequiredError(permission, `${what} needs a manager's approval: send approval {username, pin} of someone with ${permission}`);
  return verifyApprover(db, approval, permission, requestedFrom, (why) => new ApprovalRequiredError(permission, `${what} needs a manager's approval: ${why}`));
}
