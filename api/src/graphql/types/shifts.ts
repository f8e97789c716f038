// Shifts and the cash drawer: open, paid in/out, the X report (currentShift),
// close with the count, and Z reports. Each resolver is one call into
// domain/shifts.ts; refusals are typed union members.
import { RegisterRequiredError, ShiftNotOpenError } from "../../domain/drawer.ts";
import { NotFoundError, ValidationError } from "../../domain/errors.ts";
import {
  CASH_MOVEMENT_KINDS,
  DrawerCashShortError,
  DrawerKeyReusedError,
  ShiftAlreadyOpenError,
  ShiftClosedError,
  ShiftsDisabledError,
  closeShift,
  currentShift,
  getShift,
  listZReports,
  openShift,
  recordCashMovement,
  zReport,
  type CashMovement,
  type ClosedShift,
  type CurrentShift,
  type Shift,
  type ShiftFigures,
  type ShiftReport,
  type ZReport,
  type ZReportSummary,
} from "../../domain/shifts.ts";
import { builder } from "../builder.ts";
import { connectionType } from "../connection.ts";
import "./drawer-errors.ts";
import { ErrorInterface } from "./errors.ts";

// ---- refusals ----------------------------------------------------------------

builder.objectType(ShiftsDisabledError, {
  name: "ShiftsDisabledError",
  description: "The shop has shifts off; an owner turns them on in the settings (shiftsEnabled).",
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

builder.objectType(ShiftAlreadyOpenError, {
  name: "ShiftAlreadyOpenError",
  description: "The register already has an open shift (shiftId): close it first.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ register: t.exposeString("register"), shiftId: t.exposeInt("shiftId") }),
});

builder.objectType(ShiftClosedError, {
  name: "ShiftClosedError",
  description: "The shift is already closed (its Z report is zNumber). Nothing was changed.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ shiftId: t.exposeInt("shiftId"), zNumber: t.exposeInt("zNumber", { nullable: true }) }),
});

builder.objectType(DrawerCashShortError, {
  name: "DrawerCashShortError",
  description: "A pay-out larger than the cash the drawer holds by the books (available). Nothing was recorded.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    requested: t.field({ type: "Money", resolve: (e) => e.requested }),
    available: t.field({ type: "Money", resolve: (e) => e.available }),
  }),
});

builder.objectType(DrawerKeyReusedError, {
  name: "DrawerKeyReusedError",
  description: "The idempotency key was used before for a different open, close or cash movement (document, documentId).",
  interfaces: [ErrorInterface],
  fields: (t) => ({ idempotencyKey: t.exposeString("idempotencyKey"), document: t.exposeString("document"), documentId: t.exposeInt("documentId") }),
});


// ---- documents -----------------------------------------------------------------

const ShiftStatusEnum = builder.enumType("ShiftStatus", { values: { OPEN: { value: "OPEN" }, CLOSED: { value: "CLOSED" } } as const });
const CashMovementKindEnum = builder.enumType("CashMovementKind", {
  description: "PAID_IN: cash put into the drawer (e.g. change from the bank); PAID_OUT: cash taken out (e.g. a small purchase).",
  values: Object.fromEntries(CASH_MOVEMENT_KINDS.map((k) => [k, { value: k }])) as { PAID_IN: { value: "PAID_IN" }; PAID_OUT: { value: "PAID_OUT" } },
});

const ShiftRef = builder.objectRef<Shift>("Shift").implement({
  description: "One register's drawer, from the opening float to the counted close.",
  fields: (t) => ({
    id: t.exposeInt("id"),
    register: t.exposeString("register"),
    status: t.field({ type: ShiftStatusEnum, resolve: (s) => s.status }),
    openingFloat: t.field({ type: "Money", resolve: (s) => s.openingFloat }),
    openedAt: t.expose("openedAt", { type: "DateTime" }),
    openedByName: t.exposeString("openedByName", { nullable: true }),
    closedAt: t.expose("closedAt", { type: "DateTime", nullable: true }),
    closedByName: t.exposeString("closedByName", { nullable: true }),
    expectedCash: t.field({ type: "Money", nullable: true, description: "float + cash sales − cash refunds + paid in − paid out, at close.", resolve: (s) => s.expectedCash }),
    countedCash: t.field({ type: "Money", nullable: true, resolve: (s) => s.countedCash }),
    variance: t.field({ type: "Money", nullable: true, description: "counted − expected (negative: cash is missing).", resolve: (s) => s.variance }),
    closeNote: t.exposeString("closeNote", { nullable: true }),
    zNumber: t.exposeInt("zNumber", { nullable: true, description: "The Z report written at close." }),
  }),
});

const CashMovementRef = builder.objectRef<CashMovement>("CashMovement").implement({
  fields: (t) => ({
    id: t.exposeInt("id"),
    shiftId: t.exposeInt("shiftId"),
    kind: t.field({ type: CashMovementKindEnum, resolve: (c) => c.kind }),
    amount: t.field({ type: "Money", resolve: (c) => c.amount }),
    reason: t.exposeString("reason"),
    actorName: t.exposeString("actorName", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

type F = ShiftFigures;
const money = (description?: string) => ({ type: "Money" as const, ...(description ? { description } : {}) });

const BillFiguresRef = builder.objectRef<F["bills"]>("ShiftBillFigures").implement({
  description: "The shift's bills that stand (voided ones are counted under voids).",
  fields: (t) => ({
    count: t.exposeInt("count"),
    gross: t.field({ ...money("Before discounts."), resolve: (f) => f.gross }),
    discounts: t.field({ ...money(), resolve: (f) => f.discounts }),
    tax: t.field({ ...money(), resolve: (f) => f.tax }),
    total: t.field({ ...money("What the customers paid."), resolve: (f) => f.total }),
  }),
});
const ReturnFiguresRef = builder.objectRef<F["returns"]>("ShiftReturnFigures").implement({
  fields: (t) => ({ count: t.exposeInt("count"), refunded: t.field({ ...money(), resolve: (f) => f.refunded }), tax: t.field({ ...money(), resolve: (f) => f.tax }) }),
});
const VoidFiguresRef = builder.objectRef<F["voids"]>("ShiftVoidFigures").implement({
  fields: (t) => ({ count: t.exposeInt("count"), total: t.field({ ...money(), resolve: (f) => f.total }) }),
});
const TaxRateFiguresRef = builder.objectRef<F["taxByRate"][number]>("ShiftTaxRateFigures").implement({
  fields: (t) => ({
    name: t.exposeString("name"),
    percent: t.exposeString("percent"),
    taxable: t.field({ ...money(), resolve: (f) => f.taxable }),
    tax: t.field({ ...money(), resolve: (f) => f.tax }),
    refunded: t.field({ ...money(), resolve: (f) => f.refunded }),
    net: t.field({ ...money(), resolve: (f) => f.net }),
  }),
});
const PaymentFiguresRef = builder.objectRef<F["payments"][number]>("ShiftPaymentFigures").implement({
  fields: (t) => ({
    method: t.exposeString("method"),
    sales: t.field({ ...money(), resolve: (f) => f.sales }),
    refunds: t.field({ ...money(), resolve: (f) => f.refunds }),
    net: t.field({ ...money(), resolve: (f) => f.net }),
  }),
});
const CashFiguresRef = builder.objectRef<F["cash"]>("ShiftCashFigures").implement({
  fields: (t) => ({
    openingFloat: t.field({ ...money(), resolve: (f) => f.openingFloat }),
    sales: t.field({ ...money(), resolve: (f) => f.sales }),
    refunds: t.field({ ...money(), resolve: (f) => f.refunds }),
    paidIn: t.field({ ...money(), resolve: (f) => f.paidIn }),
    paidOut: t.field({ ...money(), resolve: (f) => f.paidOut }),
    expected: t.field({ ...money("float + sales − refunds + paid in − paid out."), resolve: (f) => f.expected }),
    counted: t.field({ type: "Money", nullable: true, resolve: (f) => f.counted }),
    variance: t.field({ type: "Money", nullable: true, resolve: (f) => f.variance }),
  }),
});
const PersonFiguresRef = builder.objectRef<F["people"][number]>("ShiftPersonFigures").implement({
  description: "What one person did in the shift: bills sold, discounts and returns approved, bills voided.",
  fields: (t) => ({
    staffId: t.exposeInt("staffId", { nullable: true }),
    name: t.exposeString("name"),
    bills: t.exposeInt("bills"),
    sales: t.field({ ...money(), resolve: (f) => f.sales }),
    discountApprovals: t.exposeInt("discountApprovals"),
    discountsApproved: t.field({ ...money(), resolve: (f) => f.discountsApproved }),
    returnApprovals: t.exposeInt("returnApprovals"),
    refundsApproved: t.field({ ...money(), resolve: (f) => f.refundsApproved }),
    voids: t.exposeInt("voids"),
    voided: t.field({ ...money(), resolve: (f) => f.voided }),
  }),
});

const FiguresRef = builder.objectRef<F>("ShiftFigures").implement({
  description: "A shift's figures from its stored documents (the X report while open, the Z report at close).",
  fields: (t) => ({
    shiftId: t.exposeInt("shiftId"),
    register: t.exposeString("register"),
    openedAt: t.exposeString("openedAt", { description: "ISO-8601." }),
    openedBy: t.exposeString("openedBy", { nullable: true }),
    closedAt: t.exposeString("closedAt", { nullable: true }),
    closedBy: t.exposeString("closedBy", { nullable: true }),
    bills: t.field({ type: BillFiguresRef, resolve: (f) => f.bills }),
    returns: t.field({ type: ReturnFiguresRef, resolve: (f) => f.returns }),
    voids: t.field({ type: VoidFiguresRef, resolve: (f) => f.voids }),
    net: t.field({ ...money("Without tax: bills total − refunds − (tax − tax refunded)."), resolve: (f) => f.net }),
    taxByRate: t.field({ type: [TaxRateFiguresRef], resolve: (f) => f.taxByRate }),
    payments: t.field({ type: [PaymentFiguresRef], resolve: (f) => f.payments }),
    cash: t.field({ type: CashFiguresRef, resolve: (f) => f.cash }),
    people: t.field({ type: [PersonFiguresRef], resolve: (f) => f.people }),
  }),
});

const ShiftReportRef = builder.objectRef<ShiftReport>("ShiftReport").implement({
  description: "A shift with its figures and its cash paid in and out.",
  fields: (t) => ({
    shift: t.field({ type: ShiftRef, resolve: (r) => r.shift }),
    figures: t.field({ type: FiguresRef, resolve: (r) => r.figures }),
    movements: t.field({ type: [CashMovementRef], resolve: (r) => r.movements }),
  }),
});

const CurrentShiftRef = builder.objectRef<CurrentShift>("CurrentShift").implement({
  fields: (t) => ({
    shiftsEnabled: t.exposeBoolean("shiftsEnabled"),
    report: t.field({ type: ShiftReportRef, nullable: true, description: "The open shift's X report; null when none is open.", resolve: (c) => c.report }),
  }),
});

const ZReportRef = builder.objectRef<ZReport>("ZReport").implement({
  description: "The immutable snapshot written at a shift's close, recomputed from the documents when read.",
  fields: (t) => ({
    number: t.exposeInt("number", { description: "The Z number (no gaps)." }),
    shiftId: t.exposeInt("shiftId"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    createdByName: t.exposeString("createdByName", { nullable: true }),
    figures: t.field({ type: FiguresRef, resolve: (z) => z.figures }),
    recomputed: t.field({ type: FiguresRef, description: "The same figures computed again now from the stored documents.", resolve: (z) => z.recomputed }),
    differences: t.exposeStringList("differences", { description: 'Where the documents no longer add up to the snapshot (e.g. "cash.expected"); empty when they do.' }),
  }),
});

const ZReportSummaryRef = builder.objectRef<ZReportSummary>("ZReportSummary").implement({
  fields: (t) => ({
    number: t.exposeInt("number"),
    shiftId: t.exposeInt("shiftId"),
    register: t.exposeString("register"),
    openedAt: t.expose("openedAt", { type: "DateTime" }),
    closedAt: t.expose("closedAt", { type: "DateTime" }),
    closedByName: t.exposeString("closedByName", { nullable: true }),
    expectedCash: t.field({ type: "Money", resolve: (z) => z.expectedCash }),
    countedCash: t.field({ type: "Money", resolve: (z) => z.countedCash }),
    variance: t.field({ type: "Money", resolve: (z) => z.variance }),
    total: t.field({ type: "Money", description: "The bills' total.", resolve: (z) => z.total }),
  }),
});

const ZReportConnection = connectionType("ZReportSummary", ZReportSummaryRef);

// ---- queries and mutations --------------------------------------------------------

const named = (name: string, data: string, types: (new (...args: never[]) => Error)[] = []) => ({
  types: [ValidationError, NotFoundError, ...types],
  result: { name: `${name}Success` },
  union: { name: `${name}Result` },
  dataField: { name: data },
});

builder.queryFields((t) => ({
  currentShift: t.field({
    type: CurrentShiftRef,
    description: "The X report: the open shift of a register (or the only open one) with its figures so far; nothing is closed.",
    errors: named("CurrentShift", "current", [RegisterRequiredError]),
    args: { register: t.arg.string({ required: false }) },
    resolve: (_, args, ctx) => currentShift(ctx, args),
  }),
  shift: t.field({
    type: ShiftReportRef,
    description: "One shift with its figures.",
    errors: named("Shift", "report"),
    args: { id: t.arg.int({ required: true }) },
    resolve: (_, args, ctx) => getShift(ctx, args.id),
  }),
  zReport: t.field({
    type: ZReportRef,
    description: "A Z report by number, recomputed from the stored documents; differences lists any figure that no longer matches.",
    errors: named("ZReport", "zReport"),
    args: { number: t.arg.int({ required: true }) },
    resolve: (_, args, ctx) => zReport(ctx, args.number),
  }),
  zReports: t.field({
    type: ZReportConnection,
    description: "Z reports, newest first.",
    errors: named("ZReports", "zReports"),
    args: { first: t.arg.int({ required: false, defaultValue: 20 }), after: t.arg.string({ required: false }) },
    resolve: (_, args, ctx) => listZReports(ctx, args),
  }),
}));

const OpenShiftInput = builder.inputType("OpenShiftInput", {
  fields: (t) => ({
    register: t.string({ required: true, description: "The register's name (a POS terminal's name fits); matched in any case." }),
    openingFloat: t.field({ type: "Money", required: true, description: "The cash in the drawer at the start." }),
    idempotencyKey: t.string({ required: false, description: "Send the same key when retrying: the same shift, never a second one." }),
  }),
});

const CashMovementInput = builder.inputType("CashMovementInput", {
  fields: (t) => ({
    kind: t.field({ type: CashMovementKindEnum, required: true }),
    amount: t.field({ type: "Money", required: true, description: "More than 0." }),
    reason: t.string({ required: true }),
    register: t.string({ required: false, description: "Which register's drawer; may be left out when only one shift is open." }),
    idempotencyKey: t.string({ required: false }),
  }),
});

const CloseShiftInput = builder.inputType("CloseShiftInput", {
  fields: (t) => ({
    shiftId: t.int({ required: true }),
    countedCash: t.field({ type: "Money", required: true, description: "The cash counted in the drawer." }),
    note: t.string({ required: false, description: "E.g. why the count differs." }),
    idempotencyKey: t.string({ required: false, description: "A retry with the same key answers the same close and Z report." }),
  }),
});

const OpenShiftPayload = builder.objectRef<{ value: Shift; replayed: boolean }>("OpenShiftSuccess").implement({
  fields: (t) => ({ shift: t.field({ type: ShiftRef, resolve: (r) => r.value }), replayed: t.exposeBoolean("replayed") }),
});
const CashMovementPayload = builder.objectRef<{ value: CashMovement; replayed: boolean }>("RecordCashMovementSuccess").implement({
  fields: (t) => ({ movement: t.field({ type: CashMovementRef, resolve: (r) => r.value }), replayed: t.exposeBoolean("replayed") }),
});
const CloseShiftPayload = builder.objectRef<{ value: ClosedShift; replayed: boolean }>("CloseShiftSuccess").implement({
  fields: (t) => ({
    shift: t.field({ type: ShiftRef, resolve: (r) => r.value.shift }),
    zReport: t.field({ type: ZReportRef, resolve: (r) => r.value.zReport }),
    replayed: t.exposeBoolean("replayed"),
  }),
});

const direct = (name: string, types: (new (...args: never[]) => Error)[]) => ({
  types: [ValidationError, NotFoundError, DrawerKeyReusedError, ...types],
  union: { name: `${name}Result` },
  directResult: true as const,
});

builder.mutationFields((t) => ({
  openShift: t.field({
    type: OpenShiftPayload,
    description: "Opens a shift on a register with its opening float (shifts must be on; one open shift per register).",
    errors: direct("OpenShift", [ShiftsDisabledError, ShiftAlreadyOpenError]),
    args: { input: t.arg({ type: OpenShiftInput, required: true }) },
    resolve: (_, { input }, ctx) => openShift(ctx, input),
  }),
  recordCashMovement: t.field({
    type: CashMovementPayload,
    description: "Cash paid into or out of the open shift's drawer, with a reason.",
    errors: direct("RecordCashMovement", [ShiftsDisabledError, ShiftNotOpenError, RegisterRequiredError, DrawerCashShortError]),
    args: { input: t.arg({ type: CashMovementInput, required: true }) },
    resolve: (_, { input }, ctx) => recordCashMovement(ctx, input),
  }),
  closeShift: t.field({
    type: CloseShiftPayload,
    description: "Counts the drawer and closes the shift: expected, counted and variance are stored and the Z report is written, all at once.",
    errors: direct("CloseShift", [ShiftClosedError]),
    args: { input: t.arg({ type: CloseShiftInput, required: true }) },
    resolve: (_, { input }, ctx) => closeShift(ctx, input),
  }),
}));
