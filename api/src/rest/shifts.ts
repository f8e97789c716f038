// /shifts, /cash-movements and /z-reports: the cash drawer over REST, in the
// wire's snake_case. Each operation is one call into domain/shifts.ts.
import { z } from "zod";
import { REGISTER } from "../domain/drawer.ts";
import { PRICE } from "../domain/money.ts";
import { MAX_PAGE } from "../domain/pagination.ts";
import { CASH_MOVEMENT_KINDS, closeShift, currentShift, getShift, listZReports, openShift, recordCashMovement, zReport, type CashMovement, type Shift, type ShiftFigures, type ShiftReport, type ZReport } from "../domain/shifts.ts";
import { IDEMPOTENCY_KEY, NOTE } from "../domain/text.ts";
import { nextLink } from "./json.ts";
import { operation } from "./operation.ts";
import { invalid, location, nextPage, notFound } from "./responses.ts";
import { RegisterRequiredResponse, ShiftNotOpenResponse, ValidationErrorResponse, components, errorBody, id, money, timestamp, wholeNumber } from "./schemas.ts";

const tag = "Shifts";

// ---- wire schemas ------------------------------------------------------------------

const decimalInput = (description: string, example: string) =>
  z.union([z.string(), z.number()], { error: "must be a number or a decimal string" }).meta({ description: `${description} A decimal string (preferred) or a JSON number; 2 decimal places, up to ${PRICE.max}.`, examples: [example] });
const register = z.string().meta({ description: "The register's name (a POS terminal's name fits); matched in any case.", maxLength: REGISTER.max, examples: ["Counter 1"] });

const OpenShiftRequest = z
  .strictObject({ register, opening_float: decimalInput("The cash in the drawer at the start, ≥ 0.", "500.00") })
  .register(components, { id: "OpenShiftRequest" });
const CashMovementRequest = z
  .strictObject({
    kind: z.enum(CASH_MOVEMENT_KINDS).meta({ description: "PAID_IN: cash put in; PAID_OUT: cash taken out." }),
    amount: decimalInput("More than 0.", "250.00"),
    reason: z.string().meta({ description: "Why (required), e.g. milk for the shop.", maxLength: 200 }),
    register: register.nullable().optional().meta({ description: "Which register's drawer; may be left out when only one shift is open." }),
  })
  .register(components, { id: "CashMovementRequest" });
const CloseShiftRequest = z
  .strictObject({
    counted_cash: decimalInput("The cash counted in the drawer, ≥ 0.", "1234.50"),
    note: z.string().meta({ description: "Optional, e.g. why the count differs.", maxLength: NOTE.max }).nullable().optional(),
  })
  .register(components, { id: "CloseShiftRequest" });

const KeyHeaders = z.object({
  "idempotency-key": z
    .string()
    .meta({ description: "Any unique text per request (e.g. a UUID): a retry with the same key and body answers the original result; the same key with another body is refused.", maxLength: IDEMPOTENCY_KEY.max })
    .optional(),
});

const ShiftResponse = z
  .strictObject({
    id,
    register: z.string(),
    status: z.enum(["OPEN", "CLOSED"]),
    opening_float: money,
    opened_at: timestamp,
    opened_by_name: z.string().nullable(),
    closed_at: timestamp.nullable(),
    closed_by_name: z.string().nullable(),
    expected_cash: money.nullable().meta({ description: "float + cash sales − cash refunds + paid in − paid out, at close." }),
    counted_cash: money.nullable(),
    variance: money.nullable().meta({ description: "counted − expected (negative: cash is missing)." }),
    close_note: z.string().nullable(),
    z_number: id.nullable(),
  })
  .register(components, { id: "Shift" });

const MovementResponse = z
  .strictObject({ id, shift_id: id, kind: z.enum(CASH_MOVEMENT_KINDS), amount: money, reason: z.string(), actor_name: z.string().nullable(), created_at: timestamp })
  .register(components, { id: "CashMovement" });

const count = z.int().meta({ minimum: 0 });
const FiguresResponse = z
  .strictObject({
    shift_id: id,
    register: z.string(),
    opened_at: timestamp,
    opened_by: z.string().nullable(),
    closed_at: timestamp.nullable(),
    closed_by: z.string().nullable(),
    bills: z.strictObject({ count, gross: money, discounts: money, tax: money, total: money }),
    returns: z.strictObject({ count, refunded: money, tax: money }),
    voids: z.strictObject({ count, total: money }),
    net: money,
    tax_by_rate: z.array(z.strictObject({ name: z.string(), percent: z.string(), taxable: money, tax: money, refunded: money, net: money })),
    payments: z.array(z.strictObject({ method: z.string(), sales: money, refunds: money, net: money })),
    cash: z.strictObject({ opening_float: money, sales: money, refunds: money, paid_in: money, paid_out: money, expected: money, counted: money.nullable(), variance: money.nullable() }),
    people: z.array(
      z.strictObject({
        staff_id: id.nullable(),
        name: z.string(),
        bills: count,
        sales: money,
        discount_approvals: count,
        discounts_approved: money,
        return_approvals: count,
        refunds_approved: money,
        voids: count,
        voided: money,
      }),
    ),
  })
  .meta({ description: "A shift's figures from its stored documents (X report while open, Z report at close)." })
  .register(components, { id: "ShiftFigures" });

const ShiftReportResponse = z
  .strictObject({ shift: ShiftResponse, figures: FiguresResponse, movements: z.array(MovementResponse) })
  .register(components, { id: "ShiftReport" });
const CurrentShiftResponse = z
  .strictObject({ shifts_enabled: z.boolean(), report: ShiftReportResponse.nullable().meta({ description: "The open shift's X report; null when none is open." }) })
  .register(components, { id: "CurrentShift" });
const ZReportResponse = z
  .strictObject({
    number: id.meta({ description: "The Z number (no gaps)." }),
    shift_id: id,
    created_at: timestamp,
    created_by_name: z.string().nullable(),
    figures: FiguresResponse,
    recomputed: FiguresResponse,
    differences: z.array(z.string()).meta({ description: "Where the documents no longer add up to the snapshot; empty when they do." }),
  })
  .register(components, { id: "ZReport" });
const ZReportSummaryResponse = z
  .strictObject({ number: id, shift_id: id, register: z.string(), opened_at: timestamp, closed_at: timestamp, closed_by_name: z.string().nullable(), expected_cash: money, counted_cash: money, variance: money, total: money })
  .register(components, { id: "ZReportSummary" });
const ClosedShiftResponse = z.strictObject({ shift: ShiftResponse, z_report: ZReportResponse }).register(components, { id: "ClosedShift" });

const ShiftsDisabledResponse = errorBody("ShiftsDisabledError", "The shop has shifts off (settings: shifts_enabled).", { code: z.literal("SHIFTS_DISABLED") });
const ShiftAlreadyOpenResponse = errorBody("ShiftAlreadyOpenError", "The register already has an open shift.", { code: z.literal("SHIFT_ALREADY_OPEN"), register: z.string(), shift_id: id });
const ShiftClosedResponse = errorBody("ShiftClosedError", "The shift is already closed; nothing was changed.", { code: z.literal("SHIFT_CLOSED"), shift_id: id, z_number: id.nullable() });
const DrawerCashShortResponse = errorBody("DrawerCashShortError", "A pay-out larger than the cash in the drawer by the books; nothing was recorded.", {
  code: z.literal("NOT_ENOUGH_CASH"),
  requested: money,
  available: money,
});
const DrawerKeyReusedResponse = errorBody("DrawerKeyReusedError", "The Idempotency-Key was used for a different open, close or cash movement.", {
  code: z.literal("IDEMPOTENCY_KEY_REUSED"),
  idempotency_key: z.string(),
  document: z.string(),
  document_id: id,
});

// ---- to the wire -------------------------------------------------------------------

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** The figures are plain data: the same tree with snake_case keys. */
function snakeKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(snakeKeys);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [snake(k), snakeKeys(x)]));
  return v;
}
const figuresJson = (f: ShiftFigures) => snakeKeys(f) as z.output<typeof FiguresResponse>;
const fixed = (d: { toFixed(n: number): string } | null) => (d ? d.toFixed(2) : null);

const shiftJson = (s: Shift): z.output<typeof ShiftResponse> => ({
  id: s.id,
  register: s.register,
  status: s.status,
  opening_float: s.openingFloat.toFixed(2),
  opened_at: s.openedAt.toISOString(),
  opened_by_name: s.openedByName,
  closed_at: s.closedAt?.toISOString() ?? null,
  closed_by_name: s.closedByName,
  expected_cash: fixed(s.expectedCash),
  counted_cash: fixed(s.countedCash),
  variance: fixed(s.variance),
  close_note: s.closeNote,
  z_number: s.zNumber,
});
const movementJson = (c: CashMovement): z.output<typeof MovementResponse> => ({
  id: c.id,
  shift_id: c.shiftId,
  kind: c.kind,
  amount: c.amount.toFixed(2),
  reason: c.reason,
  actor_name: c.actorName,
  created_at: c.createdAt.toISOString(),
});
const reportJson = (r: ShiftReport) => ({ shift: shiftJson(r.shift), figures: figuresJson(r.figures), movements: r.movements.map(movementJson) });
const zJson = (z: ZReport) => ({
  number: z.number,
  shift_id: z.shiftId,
  created_at: z.createdAt.toISOString(),
  created_by_name: z.createdByName,
  figures: figuresJson(z.figures),
  recomputed: figuresJson(z.recomputed),
  differences: z.differences,
});
const replayHeaders = (replayed: boolean): Record<string, string> => (replayed ? { "idempotent-replayed": "true" } : {});

const ShiftIdParams = z.strictObject({ id: z.string().regex(/^[1-9]\d{0,9}$/).transform(Number).meta({ description: "The shift id.", examples: ["1"] }) });
const NumberParams = z.strictObject({ number: z.string().regex(/^[1-9]\d{0,9}$/).transform(Number).meta({ description: "The Z number.", examples: ["1"] }) });

export const shiftOperations = [
  // Before /shifts/{id}: the router takes the first route whose path matches.
  operation({
    method: "GET",
    path: "/shifts/current",
    permission: ["OPERATE_DRAWER", "VIEW_REPORTS"],
    operationId: "currentShift",
    tag,
    summary: "The X report: the open shift's figures so far",
    description: "The open shift of `register` (or the only open one) with its figures; nothing is closed. `report` is null when no shift is open.",
    query: z.strictObject({ register: register.optional() }),
    responses: {
      200: { description: "Whether shifts are on, and the open shift's report.", schema: CurrentShiftResponse },
      422: { description: "Several registers are open and none was named (REGISTER_REQUIRED), or the register is invalid (VALIDATION_FAILED).", schema: z.union([RegisterRequiredResponse, ValidationErrorResponse]) },
    },
    async handle({ query }, ctx) {
      const c = await currentShift(ctx, { register: query.register });
      return { status: 200, body: { shifts_enabled: c.shiftsEnabled, report: c.report ? reportJson(c.report) : null } };
    },
  }),
  operation({
    method: "POST",
    path: "/shifts",
    permission: "OPERATE_DRAWER",
    operationId: "openShift",
    tag,
    summary: "Open a shift on a register",
    description: "With shifts on (settings: shifts_enabled), opens the register's drawer with its opening float. One open shift per register.",
    headers: KeyHeaders,
    body: OpenShiftRequest,
    example: { register: "Counter 1", opening_float: "500.00" },
    responses: {
      201: { description: "The open shift.", schema: ShiftResponse, headers: location("/shifts/3") },
      200: { description: "A retry with the same Idempotency-Key: the shift opened then.", schema: ShiftResponse },
      409: { description: "Shifts are off (SHIFTS_DISABLED) or the register already has an open shift (SHIFT_ALREADY_OPEN).", schema: z.union([ShiftsDisabledResponse, ShiftAlreadyOpenResponse]) },
      422: { description: "A field is invalid (VALIDATION_FAILED) or the key was used for another request (IDEMPOTENCY_KEY_REUSED).", schema: z.union([ValidationErrorResponse, DrawerKeyReusedResponse]) },
    },
    async handle({ headers, body }, ctx) {
      const { value, replayed } = await openShift(ctx, { register: body.register, openingFloat: body.opening_float, idempotencyKey: headers["idempotency-key"] });
      return { status: replayed ? 200 : 201, body: shiftJson(value), headers: { location: `/shifts/${value.id}`, ...replayHeaders(replayed) } };
    },
  }),
  operation({
    method: "GET",
    path: "/shifts/{id}",
    permission: ["OPERATE_DRAWER", "VIEW_REPORTS"],
    operationId: "getShift",
    tag,
    summary: "One shift with its figures",
    params: ShiftIdParams,
    responses: { 200: { description: "The shift, its figures and its cash movements.", schema: ShiftReportResponse }, 404: notFound("shift") },
    async handle({ params }, ctx) {
      return { status: 200, body: reportJson(await getShift(ctx, params.id)) };
    },
  }),
  operation({
    method: "POST",
    path: "/shifts/{id}/close",
    permission: "OPERATE_DRAWER",
    operationId: "closeShift",
    tag,
    summary: "Count the drawer and close the shift",
    description: "Stores expected, counted and variance and writes the Z report, all at once. Sales still in progress finish first; later ones are refused (SHIFT_NOT_OPEN).",
    params: ShiftIdParams,
    headers: KeyHeaders,
    body: CloseShiftRequest,
    example: { counted_cash: "1234.50", note: "one coin short" },
    responses: {
      200: { description: "The closed shift and its Z report (also a retry with the same Idempotency-Key).", schema: ClosedShiftResponse },
      404: notFound("shift"),
      409: { description: "The shift is already closed (SHIFT_CLOSED).", schema: ShiftClosedResponse },
      422: { description: "A field is invalid (VALIDATION_FAILED) or the key was used for another request (IDEMPOTENCY_KEY_REUSED).", schema: z.union([ValidationErrorResponse, DrawerKeyReusedResponse]) },
    },
    async handle({ params, headers, body }, ctx) {
      const { value, replayed } = await closeShift(ctx, { shiftId: params.id, countedCash: body.counted_cash, note: body.note, idempotencyKey: headers["idempotency-key"] });
      return { status: 200, body: { shift: shiftJson(value.shift), z_report: zJson(value.zReport) }, headers: replayHeaders(replayed) };
    },
  }),
  operation({
    method: "POST",
    path: "/cash-movements",
    permission: "OPERATE_DRAWER",
    operationId: "recordCashMovement",
    tag,
    summary: "Pay cash into or out of the drawer",
    description: "Recorded in the open shift of `register` (or the only open one), with the reason.",
    headers: KeyHeaders,
    body: CashMovementRequest,
    example: { kind: "PAID_OUT", amount: "250.00", reason: "milk for the shop", register: "Counter 1" },
    responses: {
      201: { description: "The movement.", schema: MovementResponse },
      200: { description: "A retry with the same Idempotency-Key: the movement recorded then.", schema: MovementResponse },
      409: {
        description: "Shifts are off (SHIFTS_DISABLED), no shift is open on the register (SHIFT_NOT_OPEN), or a pay-out is larger than the cash in the drawer (NOT_ENOUGH_CASH).",
        schema: z.union([ShiftsDisabledResponse, ShiftNotOpenResponse, DrawerCashShortResponse]),
      },
      422: {
        description: "A field is invalid (VALIDATION_FAILED: e.g. no reason, amount ≤ 0), several registers are open (REGISTER_REQUIRED), or the key was used for another request.",
        schema: z.union([ValidationErrorResponse, RegisterRequiredResponse, DrawerKeyReusedResponse]),
      },
    },
    async handle({ headers, body }, ctx) {
      const { value, replayed } = await recordCashMovement(ctx, { ...body, idempotencyKey: headers["idempotency-key"] });
      return { status: replayed ? 200 : 201, body: movementJson(value), headers: replayHeaders(replayed) };
    },
  }),
  operation({
    method: "GET",
    path: "/z-reports",
    permission: ["OPERATE_DRAWER", "VIEW_REPORTS"],
    operationId: "listZReports",
    tag,
    summary: "Z reports, newest first",
    query: z.strictObject({
      limit: wholeNumber.meta({ description: `Page size, 1–${MAX_PAGE} (default 50).` }).optional(),
      after: z.string().meta({ description: "Cursor from the previous page's Link header (rel=next)." }).optional(),
    }),
    responses: { 200: { description: "The Z reports (without figures).", schema: z.array(ZReportSummaryResponse), headers: nextPage }, 422: invalid("A query parameter is invalid") },
    async handle({ query, url }, ctx) {
      const page = await listZReports(ctx, { first: query.limit, after: query.after });
      const body = page.nodes.map((z) => ({
        number: z.number,
        shift_id: z.shiftId,
        register: z.register,
        opened_at: z.openedAt.toISOString(),
        closed_at: z.closedAt.toISOString(),
        closed_by_name: z.closedByName,
        expected_cash: z.expectedCash.toFixed(2),
        counted_cash: z.countedCash.toFixed(2),
        variance: z.variance.toFixed(2),
        total: z.total.toFixed(2),
      }));
      return { status: 200, body, headers: nextLink(url, page) };
    },
  }),
  operation({
    method: "GET",
    path: "/z-reports/{number}",
    permission: ["OPERATE_DRAWER", "VIEW_REPORTS"],
    operationId: "getZReport",
    tag,
    summary: "A Z report, recomputed and checked",
    description: "The snapshot written at close, the same figures recomputed now from the stored documents, and `differences` where they no longer agree.",
    params: NumberParams,
    responses: { 200: { description: "The Z report.", schema: ZReportResponse }, 404: notFound("Z report") },
    async handle({ params }, ctx) {
      return { status: 200, body: zJson(await zReport(ctx, params.number)) };
    },
  }),
];
