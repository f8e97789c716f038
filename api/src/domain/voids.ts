// Voids: a bill taken back whole, on the day it was made. The bill keeps its
// number, its lines and its payments, and is marked voided (when, by whom,
// approved by whom, why); its goods go back to stock with 'void' ledger rows.
// The payments stay on the bill as they were taken: the void is what reverses
// them, so figures (reports, the shift's X/Z) count a voided bill's payments
// as handed back. Nothing is deleted.
import type pg from "pg";
import { inTransaction } from "../db/database.ts";
import { actorName, actorOwnerKey, actorStaffId, authorizeAny, can } from "./access.ts";
import { verifyManagerApproval, type Approver } from "./approval.ts";
import { loadBill, type BillWithLines } from "./bills.ts";
import type { ServiceContext } from "./context.ts";
import { DomainError, NotFoundError, Problems } from "./errors.ts";
import { Decimal } from "./money.ts";
import { BillHasReturnsError, BillVoidedError, REASON } from "./returns.ts";
import { parseApproval } from "./sale.ts";
import { shopTimeZone } from "./shop.ts";
import { receiveStock } from "./stock.ts";
import { parseId, parseText } from "./text.ts";

/** The bill is not of the current open shift (or, with shifts off, not of today in the shop's time zone). */
export class VoidWindowClosedError extends DomainError {
  readonly code = "VOID_WINDOW_CLOSED";
  constructor(
    readonly billId: number,
    message: string,
  ) {
    super(message);
  }
}

export interface VoidBillInput {
  billId: unknown;
  reason: unknown;
  /** A manager's {username, pin} when the person voiding lacks VOID_BILL. */
  approval?: unknown;
}

interface LockedBill {
  id: number;
  voided_at: Date | null;
  refunded_total: string;
  shift_id: number | null;
  shifts_enabled: boolean;
  shift_status: string | null;
  made_today: boolean;
  has_returns: boolean;
}

/** Refuses, with the reason, a bill that cannot be voided now; with a client in a transaction, share-locks its shift. */
async function checkVoidable(db: pg.Pool | pg.PoolClient, billId: number, timeZone: string): Promise<LockedBill> {
  const { rows } = await db.query<LockedBill>(
    `SELECT b.id, b.voided_at, b.refunded_total, b.shift_id,
            COALESCE(st.shifts_enabled, (SELECT shifts_enabled FROM stores ORDER BY id LIMIT 1), false) AS shifts_enabled,
            (SELECT status::text FROM shifts WHERE id = b.shift_id FOR SHARE) AS shift_status,
            (b.created_at AT TIME ZONE $2)::date = (now() AT TIME ZONE $2)::date AS made_today,
            EXISTS (SELECT 1 FROM bill_returns r WHERE r.bill_id = b.id) AS has_returns
       FROM bills b LEFT JOIN stores st ON st.id = b.store_id
      WHERE b.id = $1`,
    [billId, timeZone],
  );
  const bill = rows[0];
  if (!bill) throw new NotFoundError("Bill", billId);
  if (bill.voided_at) throw new BillVoidedError(bill.id, bill.voided_at);
  if (bill.has_returns) throw new BillHasReturnsError(bill.id, new Decimal(bill.refunded_total).toFixed(2));
  if (bill.shifts_enabled) {
    // The shift row is share-locked (in a transaction), so it cannot close while its bill is voided.
    if (bill.shift_status !== "OPEN") {
      throw new VoidWindowClosedError(bill.id, `Bill ${bill.id} is not of a shift that is open now: only bills of the current shift can be voided; take the goods back as a return instead`);
    }
  } else if (!bill.made_today) {
    throw new VoidWindowClosedError(bill.id, `Bill ${bill.id} is not from today (${timeZone}): only today's bills can be voided; take the goods back as a return instead`);
  }
  return bill;
}

export async function voidBill(ctx: ServiceContext, input: VoidBillInput): Promise<BillWithLines> {
  authorizeAny(ctx, ["VOID_BILL", "SELL"]);
  const p = new Problems();
  const billId = p.take(() => parseId(input.billId, ["billId"]));
  const reason = p.take(() => parseText(input.reason, ["reason"], REASON));
  const approval = parseApproval(input.approval, p);
  p.throwIfAny();
  const timeZone = await shopTimeZone(ctx);
  const actorId = actorStaffId(ctx.actor);
  let approver: Approver | null = null;
  if (!can(ctx.actor, "VOID_BILL")) {
    // Why the bill cannot be voided is said before a manager is asked for a PIN.
    await checkVoidable(ctx.db.pool, billId!, timeZone);
    approver = await verifyManagerApproval(ctx.db, approval, "VOID_BILL", "Voiding a bill", `void-approval:${actorOwnerKey(ctx.actor)}`);
  }

  await inTransaction(ctx.db.pool, async (client) => {
    // The bill row first, as a return does: a void racing a return of the same bill waits here, and exactly one wins.
    const locked = await client.query("SELECT id FROM bills WHERE id = $1 FOR NO KEY UPDATE", [billId]);
    if (!locked.rowCount) throw new NotFoundError("Bill", billId!);
    // Checked after the lock, in a statement of its own: it sees whatever a return that held the lock before us committed.
    const bill = await checkVoidable(client, billId!, timeZone);
    const { rows: lines } = await client.query<{ item_id: number; quantity: string }>(
      "SELECT item_id, sum(quantity) AS quantity FROM bill_items WHERE bill_id = $1 GROUP BY item_id ORDER BY item_id",
      [bill.id],
    );
    for (const l of lines) {
      await receiveStock(client, { itemId: l.item_id, quantity: new Decimal(l.quantity), reason: "void", billId: bill.id, actorId, note: reason });
    }
    await client.query(
      `UPDATE bills SET voided_at = now(), voided_by = $2, voided_by_name = $3, void_reason = $4, void_approved_by = $5 WHERE id = $1`,
      [bill.id, actorId, actorName(ctx.actor), reason, approver?.staffId ?? null],
    );
  });
  // The answer is the voided bill, to whoever voided it (even a cashier who may not list other people's bills).
  return loadBill(ctx, billId!);
}
