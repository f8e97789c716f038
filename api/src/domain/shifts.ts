// The cashier's day: a shift is one register's drawer from its opening float
// to the counted close. Cash paid in and out is recorded with a reason; the
// X report is the open shift's figures; the close stores expected, counted and
// variance and writes the Z report (numbered without gaps, immutable) in the
// same transaction. Every figure is computed by one SQL statement over the
// stored documents (bills, returns, voids, cash movements), so a Z report read
// later is recomputed the same way and any difference from its snapshot shows.
import type pg from "pg";
import { inTransaction } from "../db/database.ts";
import { actorName, actorStaffId, authorize, authorizeAny } from "./access.ts";
import type { ServiceContext } from "./context.ts";
import { REGISTER, RegisterRequiredError, drawerShift, registerKey } from "./drawer.ts";
import { DomainError, NotFoundError, Problems, ValidationError } from "./errors.ts";
import { Decimal, PRICE, parseDecimal, type DecimalRule } from "./money.ts";
import { decodeCursor, parseFirst, toPage, type Page } from "./pagination.ts";
import { loadShopSettings } from "./settings.ts";
import { IDEMPOTENCY_KEY, NOTE, parseId, parseText, type TextRule } from "./text.ts";

type Queryable = Pick<pg.ClientBase, "query">;

const REASON: TextRule = { max: 200, required: true };
const CASH_AMOUNT: DecimalRule = { ...PRICE, min: "positive" };
export const CASH_MOVEMENT_KINDS = ["PAID_IN", "PAID_OUT"] as const;
export type CashMovementKind = (typeof CASH_MOVEMENT_KINDS)[number];

// ---- refusals --------------------------------------------------------------

export class ShiftsDisabledError extends DomainError {
  readonly code = "SHIFTS_DISABLED";
  constructor() {
    super("Shifts are off for this shop: turn on \"shifts enabled\" in the settings first");
  }
}

export class ShiftAlreadyOpenError extends DomainError {
  readonly code = "SHIFT_ALREADY_OPEN";
  constructor(
    readonly register: string,
    readonly shiftId: number,
  ) {
    super(`Register "${register}" already has an open shift (${shiftId}): close it before opening another`);
  }
}

export class ShiftClosedError extends DomainError {
  readonly code = "SHIFT_CLOSED";
  constructor(
    readonly shiftId: number,
    readonly zNumber: number | null,
  ) {
    super(`Shift ${shiftId} is already closed${zNumber ? ` (Z report ${zNumber})` : ""}: nothing was changed`);
  }
}

/** A pay-out asks for more cash than the drawer holds by the books (float + sales − refunds ± movements). */
export class DrawerCashShortError extends DomainError {
  readonly code = "NOT_ENOUGH_CASH";
  constructor(
    readonly requested: Decimal,
    readonly available: Decimal,
  ) {
    super(`The drawer holds ${available.toFixed(2)} in cash: a pay-out of ${requested.toFixed(2)} cannot come out of it`);
  }
}

/** The idempotency key was used before for a different open, close or cash movement. */
export class DrawerKeyReusedError extends DomainError {
  readonly code = "IDEMPOTENCY_KEY_REUSED";
  constructor(
    readonly idempotencyKey: string,
    readonly document: "SHIFT_OPEN" | "SHIFT_CLOSE" | "CASH_MOVEMENT",
    readonly documentId: number,
  ) {
    super(`Idempotency key "${idempotencyKey}" was already used for ${document.toLowerCase().replace("_", " ")} ${documentId} with a different request`);
  }
}

// ---- documents ---------------------------------------------------------------

export interface Shift {
  id: number;
  storeId: number;
  register: string;
  status: "OPEN" | "CLOSED";
  openingFloat: Decimal;
  openedAt: Date;
  openedBy: number | null;
  openedByName: string | null;
  closedAt: Date | null;
  closedBy: number | null;
  closedByName: string | null;
  expectedCash: Decimal | null;
  countedCash: Decimal | null;
  variance: Decimal | null;
  closeNote: string | null;
  zNumber: number | null;
}

interface ShiftRow {
  id: number;
  store_id: number;
  register: string;
  register_key: string;
  status: "OPEN" | "CLOSED";
  opening_float: string;
  opened_at: Date;
  opened_by: number | null;
  opened_by_name: string | null;
  open_key: string | null;
  closed_at: Date | null;
  closed_by: number | null;
  closed_by_name: string | null;
  expected_cash: string | null;
  counted_cash: string | null;
  variance: string | null;
  close_note: string | null;
  close_key: string | null;
  z_number: number | null;
}

const SHIFT_SELECT = `SELECT s.*, z.id AS z_number FROM shifts s LEFT JOIN z_reports z ON z.shift_id = s.id`;
const dec = (v: string | null) => (v === null ? null : new Decimal(v));

const toShift = (r: ShiftRow): Shift => ({
  id: r.id,
  storeId: r.store_id,
  register: r.register,
  status: r.status,
  openingFloat: new Decimal(r.opening_float),
  openedAt: r.opened_at,
  openedBy: r.opened_by,
  openedByName: r.opened_by_name,
  closedAt: r.closed_at,
  closedBy: r.closed_by,
  closedByName: r.closed_by_name,
  expectedCash: dec(r.expected_cash),
  countedCash: dec(r.counted_cash),
  variance: dec(r.variance),
  closeNote: r.close_note,
  zNumber: r.z_number,
});

export interface CashMovement {
  id: number;
  shiftId: number;
  kind: CashMovementKind;
  amount: Decimal;
  reason: string;
  actorId: number | null;
  actorName: string | null;
  createdAt: Date;
}

interface MovementRow {
  id: number;
  shift_id: number;
  kind: CashMovementKind;
  amount: string;
  reason: string;
  actor_id: number | null;
  actor_name: string | null;
  idempotency_key: string | null;
  created_at: Date;
}

const toMovement = (r: MovementRow): CashMovement => ({
  id: r.id,
  shiftId: r.shift_id,
  kind: r.kind,
  amount: new Decimal(r.amount),
  reason: r.reason,
  actorId: r.actor_id,
  actorName: r.actor_name,
  createdAt: r.created_at,
});

// ---- figures -----------------------------------------------------------------

/** Money in the figures is a fixed-point string, so the JSONB snapshot holds exactly what was printed. */
export interface ShiftFigures {
  shiftId: number;
  register: string;
  openedAt: string;
  openedBy: string | null;
  /** null in an X report (the shift is still open). */
  closedAt: string | null;
  closedBy: string | null;
  /** Bills of the shift that stand (not voided). gross: before discounts; total: what the customers paid. */
  bills: { count: number; gross: string; discounts: string; tax: string; total: string };
  /** Returns given during the shift (of any bill): refunded amount, its tax part. */
  returns: { count: number; refunded: string; tax: string };
  /** Bills of the shift that were voided (their money and stock went back). */
  voids: { count: number; total: string };
  /** What the shift kept, without tax: bills total − refunds − (tax − tax refunded). */
  net: string;
  taxByRate: { name: string; percent: string; taxable: string; tax: string; refunded: string; net: string }[];
  /** Per method: taken on bills, paid back on returns, and the difference. */
  payments: { method: string; sales: string; refunds: string; net: string }[];
  cash: {
    openingFloat: string;
    sales: string;
    refunds: string;
    paidIn: string;
    paidOut: string;
    /** float + cash sales − cash refunds + paid in − paid out. */
    expected: string;
    /** null until the close. */
    counted: string | null;
    variance: string | null;
  };
  /** Per person: bills sold, and the overrides they approved or did. */
  people: {
    staffId: number | null;
    name: string;
    bills: number;
    sales: string;
    discountApprovals: number;
    discountsApproved: string;
    returnApprovals: number;
    refundsApproved: string;
    voids: number;
    voided: string;
  }[];
}

interface FigureRow {
  section: string;
  k1: string | null;
  k2: string | null;
  n: number;
  a: string;
  b: string;
  c: string;
  d: string;
}

// One statement, so every figure comes from the same snapshot of the documents.
// Each section is one row kind; the money columns a–d mean what the section says.
const FIGURES_SQL = `
WITH b AS (SELECT * FROM bills WHERE shift_id = $1),
live AS (SELECT * FROM b WHERE voided_at IS NULL),
r AS (SELECT * FROM bill_returns WHERE shift_id = $1)
SELECT 'bills' AS section, NULL AS k1, NULL AS k2, count(*)::int AS n, coalesce(sum(subtotal), 0) AS a, coalesce(sum(discount_total), 0) AS b,
       coalesce(sum(tax_total), 0) AS c, coalesce(sum(total_amount), 0) AS d FROM live
UNION ALL
SELECT 'voids', NULL, NULL, count(*)::int, 0, 0, 0, coalesce(sum(total_amount), 0) FROM b WHERE voided_at IS NOT NULL
UNION ALL
SELECT 'returns', NULL, NULL, count(*)::int, coalesce(sum(refund_total), 0), 0, coalesce(sum(tax_total), 0), 0 FROM r
UNION ALL
SELECT 'pay', p.method::text, NULL, count(*)::int, sum(p.amount), 0, 0, 0 FROM bill_payments p JOIN live ON live.id = p.bill_id GROUP BY p.method
UNION ALL
SELECT 'refund', p.method::text, NULL, count(*)::int, sum(p.amount), 0, 0, 0 FROM bill_return_payments p JOIN r ON r.id = p.return_id GROUP BY p.method
UNION ALL
SELECT 'move', kind::text, NULL, count(*)::int, sum(amount), 0, 0, 0 FROM cash_movements WHERE shift_id = $1 GROUP BY kind
UNION ALL
SELECT 'tax', name, percent::text, 0, sum(taxable), sum(tax), sum(refunded), 0 FROM (
  SELECT bi.tax_rate_name AS name, bi.tax_rate_percent AS percent, bi.taxable_amount AS taxable, bi.tax_amount AS tax, 0 AS refunded
    FROM bill_items bi JOIN live ON live.id = bi.bill_id WHERE bi.tax_rate_name IS NOT NULL
  UNION ALL
  SELECT bi.tax_rate_name, bi.tax_rate_percent, 0, 0, rl.tax_amount
    FROM bill_return_lines rl JOIN r ON r.id = rl.return_id JOIN bill_items bi ON bi.id = rl.bill_item_id WHERE bi.tax_rate_name IS NOT NULL
) t GROUP BY name, percent
UNION ALL
SELECT 'sold', cashier_id::text, coalesce(cashier_name, 'No cashier'), count(*)::int, sum(total_amount), 0, 0, 0 FROM live GROUP BY cashier_id, cashier_name
UNION ALL
SELECT 'discount_approval', live.discount_approved_by::text, st.display_name, count(*)::int, sum(live.discount_total), 0, 0, 0
  FROM live LEFT JOIN staff st ON st.id = live.discount_approved_by WHERE live.discount_approved_by IS NOT NULL GROUP BY live.discount_approved_by, st.display_name
UNION ALL
SELECT 'return_approval', approved_by::text, approved_by_name, count(*)::int, sum(refund_total), 0, 0, 0 FROM r WHERE approved_by IS NOT NULL OR approved_by_name IS NOT NULL GROUP BY approved_by, approved_by_name
UNION ALL
SELECT 'void', voided_by::text, coalesce(voided_by_name, 'Unknown'), count(*)::int, sum(total_amount), 0, 0, 0 FROM b WHERE voided_at IS NOT NULL GROUP BY voided_by, voided_by_name`;

const m = (d: Decimal) => d.toFixed(2);

/** The shift's figures from its stored documents; `counted` given at (or after) the close. */
export async function computeShiftFigures(client: Queryable, shift: Shift, counted: Decimal | null): Promise<ShiftFigures> {
  const { rows } = await client.query<FigureRow>(FIGURES_SQL, [shift.id]);
  const one = (section: string) => rows.find((r) => r.section === section)!;
  const of = (section: string) => rows.filter((r) => r.section === section);
  const bills = one("bills");
  const voids = one("voids");
  const returns = one("returns");
  const sum = (section: string, k1: string) => new Decimal(of(section).find((r) => r.k1 === k1)?.a ?? 0);

  const cashSales = sum("pay", "CASH");
  const cashRefunds = sum("refund", "CASH");
  const paidIn = sum("move", "PAID_IN");
  const paidOut = sum("move", "PAID_OUT");
  const expected = shift.openingFloat.add(cashSales).sub(cashRefunds).add(paidIn).sub(paidOut);

  const methods = [...new Set([...of("pay"), ...of("refund")].map((r) => r.k1!))].sort();
  const net = new Decimal(bills.d).sub(returns.a).sub(new Decimal(bills.c).sub(returns.c));

  // One entry per person, whatever they did; keyed by staff id (or name for records without one).
  type Person = ShiftFigures["people"][number];
  const people = new Map<string, Person>();
  const person = (r: FigureRow): Person => {
    const key = r.k1 ?? `name:${r.k2}`;
    let p = people.get(key);
    if (!p) {
      p = { staffId: r.k1 === null ? null : Number(r.k1), name: r.k2 ?? "Unknown", bills: 0, sales: "0.00", discountApprovals: 0, discountsApproved: "0.00", returnApprovals: 0, refundsApproved: "0.00", voids: 0, voided: "0.00" };
      people.set(key, p);
    }
    return p;
  };
  for (const r of of("sold")) Object.assign(person(r), { bills: r.n, sales: m(new Decimal(r.a)) });
  for (const r of of("discount_approval")) Object.assign(person(r), { discountApprovals: r.n, discountsApproved: m(new Decimal(r.a)) });
  for (const r of of("return_approval")) Object.assign(person(r), { returnApprovals: r.n, refundsApproved: m(new Decimal(r.a)) });
  for (const r of of("void")) Object.assign(person(r), { voids: r.n, voided: m(new Decimal(r.a)) });

  return {
    shiftId: shift.id,
    register: shift.register,
    openedAt: shift.openedAt.toISOString(),
    openedBy: shift.openedByName,
    closedAt: shift.closedAt?.toISOString() ?? null,
    closedBy: shift.closedByName,
    bills: { count: bills.n, gross: m(new Decimal(bills.a)), discounts: m(new Decimal(bills.b)), tax: m(new Decimal(bills.c)), total: m(new Decimal(bills.d)) },
    returns: { count: returns.n, refunded: m(new Decimal(returns.a)), tax: m(new Decimal(returns.c)) },
    voids: { count: voids.n, total: m(new Decimal(voids.d)) },
    net: m(net),
    taxByRate: of("tax")
      .map((r) => ({ name: r.k1!, percent: new Decimal(r.k2!).toString(), taxable: m(new Decimal(r.a)), tax: m(new Decimal(r.b)), refunded: m(new Decimal(r.c)), net: m(new Decimal(r.b).sub(r.c)) }))
      .sort((x, y) => new Decimal(x.percent).cmp(y.percent) || x.name.localeCompare(y.name)),
    payments: methods.map((method) => {
      const sales = sum("pay", method);
      const refunds = sum("refund", method);
      return { method, sales: m(sales), refunds: m(refunds), net: m(sales.sub(refunds)) };
    }),
    cash: {
      openingFloat: m(shift.openingFloat),
      sales: m(cashSales),
      refunds: m(cashRefunds),
      paidIn: m(paidIn),
      paidOut: m(paidOut),
      expected: m(expected),
      counted: counted ? m(counted) : null,
      variance: counted ? m(counted.sub(expected)) : null,
    },
    people: [...people.values()].sort((x, y) => x.name.localeCompare(y.name) || (x.staffId ?? 0) - (y.staffId ?? 0)),
  };
}

// ---- open ----------------------------------------------------------------------

export interface OpenShiftInput {
  register?: unknown;
  openingFloat?: unknown;
  idempotencyKey?: unknown;
}

export interface DrawerResult<T> {
  value: T;
  /** True when an earlier request with the same idempotency key was answered again. */
  replayed: boolean;
}

async function loadShift(client: Queryable, id: number, lock = ""): Promise<Shift | null> {
  // FOR UPDATE cannot apply to the outer join's nullable side: lock the shift row alone, then read its Z number.
  if (lock) {
    const { rows } = await client.query<ShiftRow>(`SELECT s.*, NULL::int AS z_number FROM shifts s WHERE s.id = $1 ${lock}`, [id]);
    if (!rows[0]) return null;
    const z = await client.query<{ id: number }>("SELECT id FROM z_reports WHERE shift_id = $1", [id]);
    return toShift({ ...rows[0], z_number: z.rows[0]?.id ?? null });
  }
  const { rows } = await client.query<ShiftRow>(`${SHIFT_SELECT} WHERE s.id = $1`, [id]);
  return rows[0] ? toShift(rows[0]) : null;
}

/** Opens a shift on a register with its opening float; one open shift per register. */
export async function openShift(ctx: ServiceContext, input: OpenShiftInput): Promise<DrawerResult<Shift>> {
  authorize(ctx, "OPERATE_DRAWER");
  const p = new Problems();
  const register = p.take(() => parseText(input.register, ["register"], REGISTER));
  const openingFloat = p.take(() => parseDecimal(input.openingFloat, ["openingFloat"], PRICE));
  const key = p.take(() => parseText(input.idempotencyKey, ["idempotencyKey"], IDEMPOTENCY_KEY)) ?? null;
  p.throwIfAny();
  const settings = await loadShopSettings(ctx.db.pool);

  return inTransaction(ctx.db.pool, async (client) => {
    // A share lock on the store: a concurrent "shifts off" waits for this open, or this open sees it.
    const { rows: store } = await client.query<{ shifts_enabled: boolean }>("SELECT shifts_enabled FROM stores WHERE id = $1 FOR SHARE", [settings.storeId]);
    const replay = async (): Promise<DrawerResult<Shift> | null> => {
      if (!key) return null;
      const { rows } = await client.query<ShiftRow>(`${SHIFT_SELECT} WHERE s.open_key = $1`, [key]);
      const found = rows[0];
      if (!found) return null;
      if (found.register_key !== registerKey(register!) || !new Decimal(found.opening_float).eq(openingFloat!)) throw new DrawerKeyReusedError(key, "SHIFT_OPEN", found.id);
      return { value: toShift(found), replayed: true };
    };
    const earlier = await replay();
    if (earlier) return earlier;
    if (!store[0]?.shifts_enabled) throw new ShiftsDisabledError();
    // ON CONFLICT without a target covers both unique rules: the key (a concurrent retry) and one open shift per register.
    const { rows } = await client.query<ShiftRow>(
      `INSERT INTO shifts (store_id, register, register_key, opening_float, opened_by, opened_by_name, open_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING *, NULL::int AS z_number`,
      [settings.storeId, register, registerKey(register!), openingFloat!.toFixed(2), actorStaffId(ctx.actor), actorName(ctx.actor), key],
    );
    if (rows[0]) return { value: toShift(rows[0]), replayed: false };
    const again = await replay();
    if (again) return again;
    const { rows: open } = await client.query<{ id: number; register: string }>(
      "SELECT id, register FROM shifts WHERE store_id = $1 AND register_key = $2 AND status = 'OPEN'",
      [settings.storeId, registerKey(register!)],
    );
    throw new ShiftAlreadyOpenError(open[0]?.register ?? register!, open[0]?.id ?? 0);
  });
}

// ---- cash paid in and out ------------------------------------------------------------

export interface CashMovementInput {
  kind: unknown;
  amount: unknown;
  reason: unknown;
  /** Which register's drawer; may be left out when only one shift is open. */
  register?: unknown;
  idempotencyKey?: unknown;
}

export async function recordCashMovement(ctx: ServiceContext, input: CashMovementInput): Promise<DrawerResult<CashMovement>> {
  authorize(ctx, "OPERATE_DRAWER");
  const p = new Problems();
  const kind = p.take(() => {
    if (!CASH_MOVEMENT_KINDS.includes(input.kind as CashMovementKind)) throw ValidationError.one(["kind"], "must be PAID_IN or PAID_OUT", "INVALID_VALUE");
    return input.kind as CashMovementKind;
  });
  const amount = p.take(() => parseDecimal(input.amount, ["amount"], CASH_AMOUNT));
  const reason = p.take(() => parseText(input.reason, ["reason"], REASON));
  const register = p.take(() => parseText(input.register, ["register"], { ...REGISTER, required: false })) ?? null;
  const key = p.take(() => parseText(input.idempotencyKey, ["idempotencyKey"], IDEMPOTENCY_KEY)) ?? null;
  p.throwIfAny();
  const settings = await loadShopSettings(ctx.db.pool);

  return inTransaction(ctx.db.pool, async (client) => {
    const replay = async (): Promise<DrawerResult<CashMovement> | null> => {
      if (!key) return null;
      const { rows } = await client.query<MovementRow>("SELECT * FROM cash_movements WHERE idempotency_key = $1", [key]);
      const found = rows[0];
      if (!found) return null;
      if (found.kind !== kind || !new Decimal(found.amount).eq(amount!) || found.reason !== reason) throw new DrawerKeyReusedError(key, "CASH_MOVEMENT", found.id);
      return { value: toMovement(found), replayed: true };
    };
    // A retry is answered even after the shift closed: the movement happened in it.
    const earlier = await replay();
    if (earlier) return earlier;
    const shift = await drawerShift(client, settings, register, kind === "PAID_OUT" ? "UPDATE" : "SHARE");
    if (!shift) throw new ShiftsDisabledError();
    if (kind === "PAID_OUT") {
      const open = (await loadShift(client, shift.id))!;
      const available = new Decimal((await computeShiftFigures(client, open, null)).cash.expected);
      if (amount!.gt(available)) {
        // A retry of a pay-out that a concurrent request with the same key just recorded is answered, not refused.
        const again = await replay();
        if (again) return again;
        throw new DrawerCashShortError(amount!, available);
      }
    }
    const { rows } = await client.query<MovementRow>(
      `INSERT INTO cash_movements (shift_id, kind, amount, reason, actor_id, actor_name, idempotency_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (idempotency_key) DO NOTHING RETURNING *`,
      [shift.id, kind, amount!.toFixed(2), reason, actorStaffId(ctx.actor), actorName(ctx.actor), key],
    );
    if (rows[0]) return { value: toMovement(rows[0]), replayed: false };
    return (await replay())!; // a concurrent request with the same key committed first
  });
}

// ---- X report (the open shift, nothing closed) -----------------------------------------

export interface ShiftReport {
  shift: Shift;
  figures: ShiftFigures;
  movements: CashMovement[];
}

async function report(client: Queryable, shift: Shift): Promise<ShiftReport> {
  const [figures, moves] = await Promise.all([
    computeShiftFigures(client, shift, shift.countedCash),
    client.query<MovementRow>("SELECT * FROM cash_movements WHERE shift_id = $1 ORDER BY id", [shift.id]),
  ]);
  return { shift, figures, movements: moves.rows.map(toMovement) };
}

export interface CurrentShift {
  shiftsEnabled: boolean;
  /** The open shift with its X report; null when none is open (or shifts are off). */
  report: ShiftReport | null;
}

/**
 * The open shift of a register (or the store's only open one) with its X
 * report. Reading takes no lock: a report is a moment's figures.
 */
export async function currentShift(ctx: ServiceContext, input: { register?: unknown } = {}): Promise<CurrentShift> {
  // Reading figures is a report: whoever runs the drawer, and whoever reads the shop's reports.
  authorizeAny(ctx, ["OPERATE_DRAWER", "VIEW_REPORTS"]);
  const register = parseText(input.register, ["register"], { ...REGISTER, required: false });
  const settings = await loadShopSettings(ctx.db.pool);
  if (!settings.shiftsEnabled) return { shiftsEnabled: false, report: null };
  const { rows } = await ctx.db.pool.query<ShiftRow>(
    `${SHIFT_SELECT} WHERE s.store_id = $1 AND s.status = 'OPEN' AND ($2::text IS NULL OR s.register_key = $2) ORDER BY s.id`,
    [settings.storeId, register ? registerKey(register) : null],
  );
  if (rows.length > 1) throw new RegisterRequiredError(rows.map((r) => r.register));
  return { shiftsEnabled: true, report: rows[0] ? await report(ctx.db.pool, toShift(rows[0])) : null };
}

/** One shift with its figures (live while open; recomputed from the documents once closed). */
export async function getShift(ctx: ServiceContext, id: unknown): Promise<ShiftReport> {
  authorizeAny(ctx, ["OPERATE_DRAWER", "VIEW_REPORTS"]);
  const shiftId = parseId(id, ["id"]);
  const shift = await loadShift(ctx.db.pool, shiftId);
  if (!shift) throw new NotFoundError("Shift", shiftId);
  return report(ctx.db.pool, shift);
}

// ---- close and the Z report ----------------------------------------------------------

export interface CloseShiftInput {
  shiftId?: unknown;
  countedCash?: unknown;
  note?: unknown;
  idempotencyKey?: unknown;
}

export interface ZReport {
  /** The Z number. */
  number: number;
  shiftId: number;
  createdAt: Date;
  createdByName: string | null;
  /** What was stored at the close. */
  figures: ShiftFigures;
  /** The same figures computed again now from the stored documents. */
  recomputed: ShiftFigures;
  /** Paths where they differ (e.g. "cash.expected"); empty when the documents still add up to the snapshot. */
  differences: string[];
}

export interface ClosedShift {
  shift: Shift;
  zReport: ZReport;
}

/**
 * Counts the drawer and closes the shift: expected, counted and variance on
 * the shift, and the Z report, in one transaction. The shift row is locked
 * for update, so sales that already hold it (drawerShift's share lock) finish
 * first and any later one finds the shift closed.
 */
export async function closeShift(ctx: ServiceContext, input: CloseShiftInput): Promise<DrawerResult<ClosedShift>> {
  authorize(ctx, "OPERATE_DRAWER");
  const p = new Problems();
  const shiftId = p.take(() => parseId(input.shiftId, ["shiftId"]));
  const counted = p.take(() => parseDecimal(input.countedCash, ["countedCash"], PRICE));
  const note = p.take(() => parseText(input.note, ["note"], NOTE)) ?? null;
  const key = p.take(() => parseText(input.idempotencyKey, ["idempotencyKey"], IDEMPOTENCY_KEY)) ?? null;
  p.throwIfAny();

  const shift = await inTransaction(ctx.db.pool, async (client) => {
    const locked = await loadShift(client, shiftId!, "FOR UPDATE");
    if (!locked) throw new NotFoundError("Shift", shiftId!);
    if (key) {
      const { rows } = await client.query<{ id: number }>("SELECT id FROM shifts WHERE close_key = $1", [key]);
      const used = rows[0];
      if (used && used.id !== locked.id) throw new DrawerKeyReusedError(key, "SHIFT_CLOSE", used.id);
    }
    if (locked.status === "CLOSED") {
      const { rows } = await client.query<{ close_key: string | null }>("SELECT close_key FROM shifts WHERE id = $1", [locked.id]);
      if (!key || rows[0]?.close_key !== key) throw new ShiftClosedError(locked.id, locked.zNumber);
      if (!locked.countedCash!.eq(counted!) || locked.closeNote !== note) throw new DrawerKeyReusedError(key, "SHIFT_CLOSE", locked.id);
      return { replayed: true as const, shift: locked };
    }

    // now() is the transaction's start: the same instant on the shift and in the report.
    const { rows: clock } = await client.query<{ now: Date }>("SELECT now()");
    const closing: Shift = { ...locked, closedAt: clock[0]!.now, closedBy: actorStaffId(ctx.actor), closedByName: actorName(ctx.actor), countedCash: counted! };
    const figures = await computeShiftFigures(client, closing, counted!);
    await client.query(
      `UPDATE shifts SET status = 'CLOSED', closed_at = now(), closed_by = $2, closed_by_name = $3, expected_cash = $4, counted_cash = $5, variance = $6, close_note = $7, close_key = $8
        WHERE id = $1`,
      [locked.id, closing.closedBy, closing.closedByName, figures.cash.expected, figures.cash.counted, figures.cash.variance, note, key],
    );
    // Z numbers run without gaps: taken under a lock at the very end, so a
    // close that fails or dies anywhere before this uses no number.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('storelite.z_reports'))");
    const { rows: z } = await client.query<{ id: number }>(
      `INSERT INTO z_reports (id, shift_id, store_id, figures, created_by, created_by_name)
       VALUES ((SELECT coalesce(max(id), 0) + 1 FROM z_reports), $1, $2, $3, $4, $5) RETURNING id`,
      [locked.id, locked.storeId, JSON.stringify(figures), closing.closedBy, closing.closedByName],
    );
    return { replayed: false as const, shift: { ...closing, status: "CLOSED" as const, zNumber: z[0]!.id } };
  });
  const closed = (await loadShift(ctx.db.pool, shift.shift.id))!;
  return { value: { shift: closed, zReport: await readZReport(ctx.db.pool, closed.zNumber!) }, replayed: shift.replayed };
}

interface ZRow {
  id: number;
  shift_id: number;
  figures: ShiftFigures;
  created_by_name: string | null;
  created_at: Date;
}

/** Every leaf where two figure trees differ. Names are left out: a person renamed since is not a different figure. */
export function figureDifferences(a: unknown, b: unknown, path = ""): string[] {
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    if (Array.isArray(a) !== Array.isArray(b)) return [path];
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) =>
      k === "name" && /people\[\d+\]$/.test(path)
        ? []
        : figureDifferences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k),
    );
  }
  return a === b ? [] : [path];
}

async function readZReport(client: Queryable, number: number): Promise<ZReport> {
  const { rows } = await client.query<ZRow>("SELECT id, shift_id, figures, created_by_name, created_at FROM z_reports WHERE id = $1", [number]);
  const z = rows[0];
  if (!z) throw new NotFoundError("ZReport", number);
  const shift = (await loadShift(client, z.shift_id))!;
  const recomputed = await computeShiftFigures(client, shift, shift.countedCash);
  return { number: z.id, shiftId: z.shift_id, createdAt: z.created_at, createdByName: z.created_by_name, figures: z.figures, recomputed, differences: figureDifferences(z.figures, recomputed) };
}

/** A Z report by its number, recomputed from the stored documents and compared with its snapshot. */
export async function zReport(ctx: ServiceContext, number: unknown): Promise<ZReport> {
  authorizeAny(ctx, ["OPERATE_DRAWER", "VIEW_REPORTS"]);
  return readZReport(ctx.db.pool, parseId(number, ["number"]));
}

export interface ZReportSummary {
  number: number;
  shiftId: number;
  register: string;
  openedAt: Date;
  closedAt: Date;
  closedByName: string | null;
  expectedCash: Decimal;
  countedCash: Decimal;
  variance: Decimal;
  total: Decimal;
}

const isZCursor = (k: unknown[]): k is [number] => k.length === 1 && Number.isInteger(k[0]);

/** Z reports newest first (from the stored snapshots, without recomputing). */
export async function listZReports(ctx: ServiceContext, input: { first?: unknown; after?: unknown } = {}): Promise<Page<ZReportSummary>> {
  authorizeAny(ctx, ["OPERATE_DRAWER", "VIEW_REPORTS"]);
  const p = new Problems();
  const first = p.take(() => parseFirst(input.first))!;
  const after = p.take(() => decodeCursor(input.after, isZCursor));
  p.throwIfAny();
  const { rows } = await ctx.db.pool.query<{
    id: number;
    shift_id: number;
    register: string;
    opened_at: Date;
    closed_at: Date;
    closed_by_name: string | null;
    expected_cash: string;
    counted_cash: string;
    variance: string;
    total: string;
  }>(
    `SELECT z.id, z.shift_id, s.register, s.opened_at, s.closed_at, s.closed_by_name, s.expected_cash, s.counted_cash, s.variance, z.figures->'bills'->>'total' AS total
       FROM z_reports z JOIN shifts s ON s.id = z.shift_id
      WHERE $1::int IS NULL OR z.id < $1 ORDER BY z.id DESC LIMIT $2`,
    [after?.[0] ?? null, first + 1],
  );
  const list = rows.map(
    (r): ZReportSummary => ({
      number: r.id,
      shiftId: r.shift_id,
      register: r.register,
      openedAt: r.opened_at,
      closedAt: r.closed_at,
      closedByName: r.closed_by_name,
      expectedCash: new Decimal(r.expected_cash),
      countedCash: new Decimal(r.counted_cash),
      variance: new Decimal(r.variance),
      total: new Decimal(r.total ?? 0),
    }),
  );
  return toPage(list, first, (z) => [z.number]);
}
