// The one place where failures become HTTP: domain errors, request-shape
// problems (zod) and HTTP-level errors all leave here as a status code and an
// {"error": {...}} body in the wire's snake_case vocabulary.
import type { z } from "zod";
import {
  DomainError,
  IdempotencyKeyReusedError,
  InsufficientStockError,
  ItemInactiveError,
  NotFoundError,
  ValidationError,
  type FieldError,
} from "../domain/errors.ts";
import { NotAuthorizedError, UnauthenticatedError } from "../domain/access.ts";
import { InvalidCredentialsError, TooManyAttemptsError } from "../domain/errors.ts";
import { formatQuantity } from "../domain/money.ts";
import { ImportFileError, ImportHasErrorsError, ImportStaleError, ImportStateError, UndoConflictError } from "../domain/catalog-import.ts";
import {
  DiscountApprovalRequiredError,
  PaymentExceedsDueError,
  PaymentNotNeededError,
  PaymentShortError,
  TotalChangedError,
} from "../domain/totals-errors.ts";
import { HttpError } from "../http/errors.ts";
import { ApprovalRequiredError } from "../domain/errors.ts";
import { RegisterRequiredError, ShiftNotOpenError } from "../domain/drawer.ts";
import {
  BillHasReturnsError,
  BillVoidedError,
  RefundPaymentsMismatchError,
  ReturnKeyReusedError,
  ReturnQuantityExceededError,
  UnknownBillLineError,
} from "../domain/returns.ts";
import { VoidWindowClosedError } from "../domain/voids.ts";
import { DrawerCashShortError, DrawerKeyReusedError, ShiftAlreadyOpenError, ShiftClosedError, ShiftsDisabledError } from "../domain/shifts.ts";

export type FieldPath = FieldError["path"];

export interface Failure {
  status: number;
  body: { error: { code: string; message: string } & Record<string, unknown> };
  headers?: Record<string, string>;
}

// Domain field names that are spelled differently on the wire; anything else
// in camelCase becomes snake_case.
const WIRE_NAMES: Record<string, string> = {
  lines: "items",
  first: "limit",
  search: "name",
  countedQty: "stock_qty",
  active: "is_active",
  idempotencyKey: "Idempotency-Key",
  "idempotency-key": "Idempotency-Key",
};

const wireName = (segment: string) => WIRE_NAMES[segment] ?? segment.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** ["lines", 1, "quantity"] → "items[1].quantity" (paths from the wire schemas are already in wire names). */
export function fieldName(path: FieldPath, rename: (segment: string) => string = wireName): string {
  if (!path.length) return "body";
  return path.reduce<string>((out, seg) => (typeof seg === "number" ? `${out}[${seg}]` : out ? `${out}.${rename(seg)}` : rename(seg)), "");
}

/** Header names (the only wire names with a dash) as HTTP writes them: idempotency-key → Idempotency-Key. */
export const headerCase = (name: string) => (name.includes("-") ? name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase()) : name);

/** A request that does not have the documented shape; its paths are wire names already. */
export class RequestShapeError extends ValidationError {}

const valueAt = (root: unknown, path: FieldPath) =>
  path.reduce<unknown>((v, seg) => (v !== null && typeof v === "object" ? (v as Record<string | number, unknown>)[seg] : undefined), root);

const EXPECTED: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
};

/** Request-shape problems found by the wire schemas, in the domain's ValidationError terms. */
export function fromZod(error: z.ZodError, input: unknown): RequestShapeError {
  const list: FieldError[] = [];
  for (const issue of error.issues) {
    const path = issue.path as FieldPath;
    switch (issue.code) {
      case "unrecognized_keys":
        for (const key of issue.keys) list.push({ path: [...path, key], message: "is not a known field", code: "UNKNOWN_FIELD" });
        break;
      case "invalid_type":
        if (valueAt(input, path) === undefined) list.push({ path, message: "is required", code: "REQUIRED" });
        else list.push({ path, message: `must be ${EXPECTED[issue.expected] ?? issue.expected}`, code: "INVALID_TYPE" });
        break;
      case "invalid_union":
        list.push({ path, message: issue.message === "Invalid input" ? "has the wrong type" : issue.message, code: "INVALID_TYPE" });
        break;
      case "invalid_value":
        list.push({ path, message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`, code: "INVALID_VALUE" });
        break;
      case "invalid_format":
        list.push({ path, message: issue.message.startsWith("Invalid") ? "has the wrong format" : issue.message, code: "INVALID_FORMAT" });
        break;
      default:
        list.push({ path, message: issue.message, code: "INVALID" });
    }
  }
  return new RequestShapeError(list);
}

const fail = (status: number, code: string, message: string, extra: Record<string, unknown> = {}): Failure => ({
  status,
  body: { error: { code, message, ...extra } },
});

/**
 * Maps a thrown error to its HTTP answer; undefined means it is not an expected
 * failure (a bug) and the server answers 500 without details.
 * `reference` places a NotFoundError for something the request body refers to
 * (an item on a bill): that is a 422 on the field, not a 404 of the URL.
 */
export function toFailure(err: unknown, reference?: (e: NotFoundError) => FieldPath | undefined): Failure | undefined {
  if (err instanceof HttpError) return fail(err.status, err.code, err.message);
  if (!(err instanceof DomainError)) return undefined;
  if (err instanceof UnauthenticatedError || err instanceof InvalidCredentialsError) {
    return { ...fail(401, err.code, err.message), headers: { "www-authenticate": 'Bearer realm="storelite"' } };
  }
  if (err instanceof NotAuthorizedError) return fail(403, err.code, err.message, { permission: err.permission });
  if (err instanceof TooManyAttemptsError) {
    return { ...fail(429, err.code, err.message, { retry_after_seconds: err.retryAfterSeconds }), headers: { "retry-after": String(err.retryAfterSeconds) } };
  }

  if (err instanceof ValidationError) {
    const rename = err instanceof RequestShapeError ? headerCase : wireName;
    const fieldErrors = err.fieldErrors.map((f) => ({ field: fieldName(f.path, rename), code: f.code, message: f.message }));
    return fail(422, err.code, fieldErrors.map((f) => `${f.field}: ${f.message}`).join("; "), { field_errors: fieldErrors });
  }
  if (err instanceof NotFoundError) {
    const path = reference?.(err);
    if (path) return toFailure(ValidationError.one(path, err.message, "NOT_FOUND"));
    return fail(404, err.code, err.message);
  }
  if (err instanceof InsufficientStockError) {
    const shortage = (s: InsufficientStockError["shortages"][number]) => ({
      item_id: s.itemId,
      item_name: s.itemName,
      unit: s.unit,
      requested: formatQuantity(s.requested),
      available: formatQuantity(s.available),
    });
    return fail(409, err.code, err.message, { ...shortage(err), shortages: err.shortages.map(shortage) });
  }
  if (err instanceof ItemInactiveError) return fail(409, err.code, err.message, { item_id: err.itemId, item_name: err.itemName });
  // Per the IETF Idempotency-Key draft: a key reused with another payload is 422.
  if (err instanceof IdempotencyKeyReusedError) {
    return fail(422, err.code, err.message, { idempotency_key: err.idempotencyKey, bill_id: err.billId });
  }
  if (err instanceof ImportFileError) return fail(err.reason === "FILE_TOO_LARGE" ? 413 : 422, err.code, err.message, { reason: err.reason });
  if (err instanceof ImportHasErrorsError) return fail(409, err.code, err.message, { import_id: err.jobId, error_rows: err.errorRows, first_errors: err.firstErrors });
  if (err instanceof ImportStateError) return fail(409, err.code, err.message, { import_id: err.jobId, status: err.status });
  if (err instanceof ImportStaleError) return fail(409, err.code, err.message, { import_id: err.jobId });
  if (err instanceof UndoConflictError) {
    return fail(409, err.code, err.message, {
      import_id: err.jobId,
      conflict_count: err.conflictCount,
      undoable: err.undoable,
      conflicts: err.conflicts.map((c) => ({ item_id: c.itemId, item_name: c.itemName, row: c.rowNo, changed: c.changed })),
    });
  }
  // The payments do not settle the bill: the request is wrong, not the state.
  if (err instanceof PaymentShortError) {
    return fail(422, err.code, err.message, { amount_due: err.amountDue, paid: err.paid, remaining: err.remaining });
  }
  if (err instanceof PaymentExceedsDueError) {
    return fail(422, err.code, err.message, { payment_index: err.paymentIndex, method: err.method, amount: err.amount, remaining: err.remaining });
  }
  if (err instanceof PaymentNotNeededError) return fail(422, err.code, err.message, { payment_index: err.paymentIndex, method: err.method });
  // A price, rate or setting changed since the client priced the cart: a conflict with the current state.
  if (err instanceof TotalChangedError) return fail(409, err.code, err.message, { expected_total: err.expectedTotal, total: err.total });
  if (err instanceof ShiftNotOpenError) return fail(409, err.code, err.message, { register: err.register });
  if (err instanceof RegisterRequiredError) return fail(422, err.code, err.message, { open_registers: err.openRegisters });
  if (err instanceof ShiftsDisabledError) return fail(409, err.code, err.message);
  if (err instanceof DrawerCashShortError) return fail(409, err.code, err.message, { requested: err.requested.toFixed(2), available: err.available.toFixed(2) });
  if (err instanceof ShiftAlreadyOpenError) return fail(409, err.code, err.message, { register: err.register, shift_id: err.shiftId });
  if (err instanceof ShiftClosedError) return fail(409, err.code, err.message, { shift_id: err.shiftId, z_number: err.zNumber });
  if (err instanceof DrawerKeyReusedError) return fail(422, err.code, err.message, { idempotency_key: err.idempotencyKey, document: err.document, document_id: err.documentId });
  if (err instanceof DiscountApprovalRequiredError) {
    return fail(403, err.code, err.message, { discount_percent: err.discountPercent, limit_percent: err.limitPercent });
  }
  // Returns and voids: the bill's state refuses (409); the request itself is wrong (422); a manager must approve (403).
  if (err instanceof ReturnQuantityExceededError) {
    const line = (l: ReturnQuantityExceededError["lines"][number]) => ({
      bill_item_id: l.billItemId,
      item_name: l.itemName,
      unit: l.unit,
      requested: formatQuantity(l.requested),
      sold: formatQuantity(l.sold),
      already_returned: formatQuantity(l.alreadyReturned),
      left: formatQuantity(l.left),
    });
    return fail(409, err.code, err.message, { ...line(err.lines[0]), lines: err.lines.map(line) });
  }
  if (err instanceof BillVoidedError) return fail(409, err.code, err.message, { bill_id: err.billId, voided_at: err.voidedAt.toISOString() });
  if (err instanceof BillHasReturnsError) return fail(409, err.code, err.message, { bill_id: err.billId, refunded_total: err.refundedTotal });
  if (err instanceof VoidWindowClosedError) return fail(409, err.code, err.message, { bill_id: err.billId });
  if (err instanceof UnknownBillLineError) return fail(422, err.code, err.message, { bill_id: err.billId, bill_item_id: err.billItemId });
  if (err instanceof RefundPaymentsMismatchError) return fail(422, err.code, err.message, { refund_total: err.refundTotal, payments_total: err.paymentsTotal });
  if (err instanceof ReturnKeyReusedError) return fail(422, err.code, err.message, { idempotency_key: err.idempotencyKey, return_id: err.returnId });
  if (err instanceof ApprovalRequiredError) return fail(403, err.code, err.message, { permission: err.permission });
  return fail(422, err.code, err.message);
}
