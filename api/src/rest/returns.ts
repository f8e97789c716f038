// Returns and voids over REST: a return is its own resource (/returns/{id})
// made against a bill (POST /bills/{id}/returns, previewed by
// /bills/{id}/refund-preview); a void marks the bill (POST /bills/{id}/void).
// One call is one domain call (one transaction).
import { z } from "zod";
import type { CreateReturnInput } from "../domain/returns.ts";
import { createReturn, getReturn, refundPreview } from "../domain/returns.ts";
import { voidBill } from "../domain/voids.ts";
import { billJson, refundPreviewJson, returnJson } from "./json.ts";
import { operation } from "./operation.ts";
import { location, notFound } from "./responses.ts";
import {
  ApprovalRequiredResponse,
  BillHasReturnsResponse,
  BillResponse,
  BillVoidedResponse,
  IdParams,
  IdempotencyHeaders,
  RefundPreviewResponse,
  ReturnRequest,
  NotAuthorizedResponse,
  RefundPaymentsMismatchResponse,
  RegisterRequiredResponse,
  ReturnKeyReusedResponse,
  ReturnQuantityExceededResponse,
  ReturnResponse,
  ShiftNotOpenResponse,
  UnknownBillLineResponse,
  ValidationErrorResponse,
  VoidRequest,
  VoidWindowClosedResponse,
} from "./schemas.ts";

const tag = "Returns and voids";
type ReturnBody = z.output<typeof ReturnRequest>;

const returnInput = (billId: number, body: ReturnBody): CreateReturnInput => ({
  billId,
  lines: body.items.map((l) => ({ billItemId: l.bill_item_id, quantity: l.quantity, restock: l.restock })),
  reason: body.reason,
  refundPayments: body.refund_payments,
  register: body.register,
  approval: body.approval,
});

const returnExample = { items: [{ bill_item_id: 12, quantity: "1" }, { bill_item_id: 13, quantity: "0.5", restock: false }], reason: "Customer changed their mind" };

/** The role or token lacks the permission (NOT_AUTHORIZED), or a cashier's request needs a manager's PIN (APPROVAL_REQUIRED). */
const forbiddenOrApproval = (permission: string) => ({
  description:
    "Signed in, but the role or token scopes lack the permission named in `permission` (NOT_AUTHORIZED); or you may start this but a manager must approve it " +
    `(APPROVAL_REQUIRED: send approval {username, pin} of someone with ${permission}; also when the approval sent did not count).`,
  schema: z.union([NotAuthorizedResponse, ApprovalRequiredResponse]),
});

const returnRefusals = {
  404: notFound("bill"),
  409: {
    description:
      "More than is left to return on a line (RETURN_QUANTITY_EXCEEDED: lines with sold, already_returned, left), the bill was voided (BILL_VOIDED), " +
      "or shifts are on and no shift is open for a cash refund (SHIFT_NOT_OPEN). Nothing was changed.",
    schema: z.union([ReturnQuantityExceededResponse, BillVoidedResponse, ShiftNotOpenResponse]),
  },
  422: {
    description:
      "A field is invalid (VALIDATION_FAILED), a line is not of this bill (UNKNOWN_BILL_LINE), refund_payments do not add up to the refund (REFUND_PAYMENTS_MISMATCH), " +
      "several registers are open (REGISTER_REQUIRED), or the Idempotency-Key was used for another request (IDEMPOTENCY_KEY_REUSED).",
    schema: z.union([ValidationErrorResponse, UnknownBillLineResponse, RefundPaymentsMismatchResponse, RegisterRequiredResponse, ReturnKeyReusedResponse]),
  },
};

export const returnOperations = [
  operation({
    method: "POST",
    path: "/bills/{id}/refund-preview",
    operationId: "refundPreview",
    permission: ["REFUND", "SELL"],
    tag,
    summary: "Price a return without making it",
    description: "The same body as POST /bills/{id}/returns; answers the refund per line (discount and tax shares included) and how it would be paid back. Writes nothing.",
    params: IdParams,
    body: ReturnRequest,
    example: returnExample,
    responses: { 200: { description: "The return as it would be made.", schema: RefundPreviewResponse }, 404: returnRefusals[404], 409: returnRefusals[409], 422: returnRefusals[422] },
    async handle({ params, body }, ctx) {
      return { status: 200, body: refundPreviewJson(await refundPreview(ctx, returnInput(params.id, body))) };
    },
  }),

  operation({
    method: "POST",
    path: "/bills/{id}/returns",
    operationId: "createReturn",
    permission: ["REFUND", "SELL"],
    tag,
    summary: "Take goods back against a bill (a return)",
    description:
      "Refunds from the bill's stored values (per unit: line discount, bill-discount share and tax share; the last unit takes the leftover cents), " +
      "restocks each line (or records it damaged with restock: false) and pays the refund back — by default to the bill's own methods, card/mobile first, cash last " +
      "(from the current drawer when shifts are on). A cashier sends a manager's approval. Send an `Idempotency-Key` so a retry cannot refund twice.",
    params: IdParams,
    headers: IdempotencyHeaders,
    body: ReturnRequest,
    example: returnExample,
    responses: {
      201: { description: "The return (its slip).", schema: ReturnResponse, headers: location("/returns/3") },
      200: { description: "A retry with an Idempotency-Key already used for the same request: the original return.", schema: ReturnResponse },
      403: forbiddenOrApproval("REFUND"),
      ...returnRefusals,
    },
    async handle({ params, headers, body }, ctx) {
      const { billReturn, replayed } = await createReturn(ctx, { ...returnInput(params.id, body), idempotencyKey: headers["idempotency-key"] });
      return {
        status: replayed ? 200 : 201,
        body: returnJson(billReturn),
        headers: { location: `/returns/${billReturn.id}`, ...(replayed ? { "idempotent-replayed": "true" } : {}) },
      };
    },
  }),

  operation({
    method: "GET",
    path: "/returns/{id}",
    operationId: "getReturn",
    permission: ["VIEW_ALL_BILLS", "REFUND", "VIEW_OWN_BILLS"],
    tag,
    summary: "Get one return",
    description: "A cashier sees the returns they made; managers and owners every return.",
    params: IdParams,
    responses: { 200: { description: "The return.", schema: ReturnResponse }, 404: notFound("return") },
    async handle({ params }, ctx) {
      return { status: 200, body: returnJson(await getReturn(ctx, params.id)) };
    },
  }),

  operation({
    method: "POST",
    path: "/bills/{id}/void",
    operationId: "voidBill",
    permission: ["VOID_BILL", "SELL"],
    tag,
    summary: "Void a bill",
    description:
      "Only a bill of the current open shift (shifts off: of today in the shop's time zone), without returns. Its stock goes back (void ledger rows), " +
      "its payments count as handed back, and the bill keeps its number and prints as VOID. A cashier sends a manager's approval.",
    params: IdParams,
    body: VoidRequest,
    example: { reason: "Rang up twice" },
    responses: {
      200: { description: "The voided bill.", schema: BillResponse },
      403: forbiddenOrApproval("VOID_BILL"),
      404: notFound("bill"),
      409: {
        description: "Already voided (BILL_VOIDED), has returns (BILL_HAS_RETURNS), or not of the open shift / today (VOID_WINDOW_CLOSED). Nothing was changed.",
        schema: z.union([BillVoidedResponse, BillHasReturnsResponse, VoidWindowClosedResponse]),
      },
      422: { description: "A field is invalid (VALIDATION_FAILED).", schema: ValidationErrorResponse },
    },
    async handle({ params, body }, ctx) {
      return { status: 200, body: billJson(await voidBill(ctx, { billId: params.id, reason: body.reason, approval: body.approval })) };
    },
  }),
];
