// /bills: selling over REST. One POST is one domain createBill (one
// transaction); the Idempotency-Key header makes retries safe.
import { z } from "zod";
import { createBill, getBill, listBills, previewBill, type CreateBillInput } from "../domain/bills.ts";
import { billJson, billPreviewJson, billSummaryJson, nextLink } from "./json.ts";
import { operation } from "./operation.ts";
import { invalid, location, nextPage, notFound } from "./responses.ts";
import {
  BillListResponse,
  BillPreviewResponse,
  BillResponse,
  CreateBillRequest,
  DiscountApprovalRequiredResponse,
  IdParams,
  IdempotencyHeaders,
  IdempotencyKeyReusedResponse,
  InsufficientStockResponse,
  ItemInactiveResponse,
  ListBillsQuery,
  PaymentExceedsDueResponse,
  PaymentNotNeededResponse,
  PaymentShortResponse,
  RegisterRequiredResponse,
  ShiftNotOpenResponse,
  TotalChangedResponse,
  ValidationErrorResponse,
} from "./schemas.ts";

const tag = "Bills";

type SaleBody = z.output<typeof CreateBillRequest>;

/** The wire's snake_case sale → the domain's input (values are checked there). */
const saleInput = (body: SaleBody): CreateBillInput => ({
  customerName: body.customer_name,
  storeName: body.store_name,
  lines: body.items.map((l) => ({ itemId: l.item_id, quantity: l.quantity, discount: l.discount })),
  billDiscount: body.bill_discount,
  payments: body.payments,
  approval: body.approval,
  expectedTotal: body.expected_total,
  register: body.register,
});

// An unknown item_id is a problem with that line, not a missing URL.
const itemReference = (body: SaleBody, err: { entity: string; id: number }) => {
  const line = err.entity === "Item" ? body.items.findIndex((l) => l.item_id === err.id) : -1;
  return line >= 0 ? ["items", line, "item_id"] : undefined;
};

const paymentRefusals = [PaymentShortResponse, PaymentExceedsDueResponse, PaymentNotNeededResponse] as const;
const saleExample = {
  customer_name: "Ali",
  items: [{ item_id: 1, quantity: 2, discount: { kind: "PERCENT", value: "10" } }, { item_id: 5, quantity: 1.5 }],
  bill_discount: { kind: "AMOUNT", value: "20.00", reason: "regular customer" },
  payments: [{ method: "CARD", amount: "300.00", reference: "4242" }, { method: "CASH", amount: "500" }],
};

export const billOperations = [
  operation({
    method: "POST",
    path: "/bills",
    operationId: "createBill",
    permission: "SELL",
    tag,
    summary: "Create a bill (sell)",
    description:
      "Checks every item exists, is active and has the stock; prices the lines (line and bill discounts, tax by the shop's settings), " +
      "takes the payments (cash tendered → change), saves the bill and decrements stock — all or nothing. Without payments the bill is cash paid exactly. " +
      "Send an `Idempotency-Key` so a retry after a lost response cannot sell twice, and `expected_total` so a changed price cannot charge a different amount.",
    headers: IdempotencyHeaders,
    body: CreateBillRequest,
    example: saleExample,
    responses: {
      201: { description: "The bill, with its lines and totals.", schema: BillResponse, headers: location("/bills/7") },
      200: {
        description: "A retry with an Idempotency-Key already used for the same request: the original bill, nothing sold again.",
        schema: BillResponse,
        headers: { ...location("/bills/7"), "Idempotent-Replayed": { description: "Always `true` on a replay.", example: "true" } },
      },
      403: {
        description:
          "The discount is above the cashier limit (DISCOUNT_APPROVAL_REQUIRED: discount_percent, limit_percent) and no valid `approval` " +
          "{username, pin} of a manager or the owner came with it, or it did not count (wrong PIN, locked out, a role that may not approve). Nothing was sold.",
        schema: DiscountApprovalRequiredResponse,
      },
      409: {
        description:
          "Not enough stock for a line (INSUFFICIENT_STOCK: item, requested, available), an item is deactivated (ITEM_INACTIVE), " +
          "or the total is not expected_total (TOTAL_CHANGED: total), or shifts are on and no shift is open on the register (SHIFT_NOT_OPEN). Nothing was sold.",
        schema: z.union([InsufficientStockResponse, ItemInactiveResponse, TotalChangedResponse, ShiftNotOpenResponse]),
      },
      422: {
        description:
          "A field is invalid or names an unknown item (VALIDATION_FAILED, field_errors), the payments do not settle the bill " +
          "(PAYMENT_SHORT, PAYMENT_EXCEEDS_DUE: only cash may exceed what is due, PAYMENT_NOT_NEEDED), " +
          "or the Idempotency-Key was used for a different request (IDEMPOTENCY_KEY_REUSED), " +
          "or several registers have an open shift and the body names none (REGISTER_REQUIRED: open_registers).",
        schema: z.union([ValidationErrorResponse, ...paymentRefusals, IdempotencyKeyReusedResponse, RegisterRequiredResponse]),
      },
    },
    reference: itemReference,
    async handle({ headers, body }, ctx) {
      const { bill, replayed } = await createBill(ctx, { ...saleInput(body), idempotencyKey: headers["idempotency-key"] });
      return {
        status: replayed ? 200 : 201,
        body: billJson(bill),
        headers: { location: `/bills/${bill.id}`, ...(replayed ? { "idempotent-replayed": "true" } : {}) },
      };
    },
  }),

  operation({
    method: "POST",
    path: "/bills/preview",
    permission: "SELL",
    operationId: "previewBill",
    tag,
    summary: "Price a bill without selling",
    description:
      "The same body as POST /bills; answers the bill it would make now (discounts, tax, payments, change) and writes nothing. " +
      "`discount_approval_required` says a manager must approve the discount; `expected_total` is ignored.",
    body: CreateBillRequest,
    example: saleExample,
    responses: {
      200: { description: "The bill as it would be made.", schema: BillPreviewResponse },
      409: { description: "Not enough stock (INSUFFICIENT_STOCK) or an item is deactivated (ITEM_INACTIVE).", schema: z.union([InsufficientStockResponse, ItemInactiveResponse]) },
      422: {
        description: "A field is invalid (VALIDATION_FAILED) or the payments do not settle the bill (PAYMENT_SHORT, PAYMENT_EXCEEDS_DUE, PAYMENT_NOT_NEEDED).",
        schema: z.union([ValidationErrorResponse, ...paymentRefusals]),
      },
    },
    reference: itemReference,
    async handle({ body }, ctx) {
      return { status: 200, body: billPreviewJson(await previewBill(ctx, saleInput(body))) };
    },
  }),

  operation({
    method: "GET",
    path: "/bills/{id}",
    operationId: "getBill",
    permission: ["VIEW_ALL_BILLS", "VIEW_OWN_BILLS"],
    tag,
    summary: "Get one bill with its lines",
    params: IdParams,
    responses: { 200: { description: "The bill.", schema: BillResponse }, 404: notFound("bill") },
    async handle({ params }, ctx) {
      return { status: 200, body: billJson(await getBill(ctx, params.id)) };
    },
  }),

  operation({
    method: "GET",
    path: "/bills",
    operationId: "listBills",
    permission: ["VIEW_ALL_BILLS", "VIEW_OWN_BILLS"],
    tag,
    summary: "List bills, newest first",
    description: "Optionally within a date range. Pages of `limit` bills; the Link header points to the next page.",
    query: ListBillsQuery,
    responses: {
      200: { description: "The bills (without lines).", schema: BillListResponse, headers: nextPage },
      422: invalid("A query parameter is invalid (e.g. from is not a date)"),
    },
    async handle({ query, url }, ctx) {
      const page = await listBills(ctx, { from: query.from, to: query.to, first: query.limit, after: query.after });
      return { status: 200, body: page.nodes.map(billSummaryJson), headers: nextLink(url, page) };
    },
  }),
];
