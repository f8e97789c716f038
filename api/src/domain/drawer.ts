// Which cash drawer a sale, a refund or a void's reversal goes through. With
// shifts off (the default) there is none and nothing changes; with shifts on,
// every cash movement belongs to the open shift of a register, and a request
// that handles cash with no shift open is refused before anything is written.
// Sales, returns and voids call drawerShift() inside their transaction; it
// takes a share lock on the shift row, so a close (which locks it for update)
// waits for them and they never land in a closed shift.
import type pg from "pg";
import { DomainError } from "./errors.ts";
import type { TextRule } from "./text.ts";

type Queryable = Pick<pg.ClientBase, "query">;

export class ShiftNotOpenError extends DomainError {
  readonly code = "SHIFT_NOT_OPEN";
  constructor(readonly register: string | null) {
    super(register ? `No shift is open on register "${register}": open one first` : "No shift is open: open a shift before taking or paying out cash");
  }
}

/** Shifts are on and several registers are open: the request must say which one. */
export class RegisterRequiredError extends DomainError {
  readonly code = "REGISTER_REQUIRED";
  constructor(readonly openRegisters: string[]) {
    super(`Several registers have an open shift (${openRegisters.join(", ")}): say which register this is`);
  }
}

export interface DrawerShift {
  id: number;
  register: string;
}

/** A register's name as typed on a shift or a sale (a POS terminal's name fits). */
export const REGISTER: TextRule = { max: 60, required: true };

/** lower(trim(register)): how registers are matched. */
export function registerKey(register: string): string {
  return register.trim().toLowerCase();
}

/**
 * The open shift whose drawer this request's cash goes through, share-locked
 * for the rest of the caller's transaction; null when the shop has shifts off.
 * `register` names it; without one, the store's only open shift is used.
 * `lock: "UPDATE"` (a pay-out) also waits for the sales and refunds in flight
 * and keeps new ones out until the caller commits, so the cash it counts is
 * the drawer's.
 */
export async function drawerShift(
  client: Queryable,
  store: { storeId: number; /** As the caller's settings say; read here when not known. */ shiftsEnabled?: boolean },
  register?: string | null,
  lock: "SHARE" | "UPDATE" = "SHARE",
): Promise<DrawerShift | null> {
  const { storeId } = store;
  const enabled = store.shiftsEnabled ?? (await client.query<{ shifts_enabled: boolean }>("SELECT shifts_enabled FROM stores WHERE id = $1", [storeId])).rows[0]?.shifts_enabled;
  if (!enabled) return null;
  const named = register?.trim() ? register.trim() : null;
  const { rows } = await client.query<{ id: number; register: string }>(
    `SELECT id, register FROM shifts
      WHERE store_id = $1 AND status = 'OPEN' AND ($2::text IS NULL OR register_key = $2)
      ORDER BY id
      FOR ${lock === "UPDATE" ? "UPDATE" : "SHARE"}`,
    [storeId, named ? registerKey(named) : null],
  );
  if (rows.length === 0) throw new ShiftNotOpenError(named);
  if (rows.length > 1) throw new RegisterRequiredError(rows.map((r) => r.register));
  return rows[0]!;
}
