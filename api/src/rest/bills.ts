// /bills: selling over REST. One POST is one domain createBill (one
// transaction); the Idempotency-Key header makes retries safe.
import { z } from "zod";
import { createBill, getBill, listBills } from "../domain/bills.ts";
import { billJson, billSummaryJson, nextLink } from "./json.ts";
import { operation } from "./operation.ts";
import { invalid, location, nextPage, notFound } from "./responses.ts";
import {
  BillListResponse,
  BillResponse,
  CreateBillRequest,
  IdParams,
  IdempotencyHeaders,
  IdempotencyKeyReusedResponse,
  InsufficientStockResponse,
  ItemInactiveResponse,
  ListBillsQuery,
  ValidationErrorResponse,
} from "./schemas.ts";

const tag = "Bills";

export const billOperations = [
  operation({
    method: "POST",
    path: "/bills",
    operationId: "createBill",
    permission: "SELL",
    tag,
    summary: "Create a bill (sell)",
    description:
      "Checks every item exists, is active and has the stock; prices the lines, saves the bill and decrements stock — all or nothing. " +
      "Send an `Idempotency-Key` so a retry after a lost response cannot sell twice.",
    headers: IdempotencyHeaders,
    body: CreateBillRequest,
    example: { customer_name: "Ali", store_name: "Utility Store #1", items: [{ item_id: 1, quantity: 2 }, { item_id: 5, quantity: 1.5 }] },
    responses: {
      201: { description: "The bill, with its lines and totals.", schema: BillResponse, headers: location("/bills/7") },
      200: {
        description: "A retry with an Idempotency-Key already used for the same request: the original bill, nothing sold again.",
        schema: BillResponse,
        headers: { ...location("/bills/7"), "Idempotent-Replayed": { description: "Always `true` on a replay.", example: "true" } },
      },
      409: {
        description: "Not enough stock for a line (INSUFFICIENT_STOCK: item, requested, available), or an item is deactivated (ITEM_INACTIVE). Nothing was sold.",
        schema: z.union([InsufficientStockResponse, ItemInactiveResponse]),
      },
      422: {
        description:
          "A field is invalid or names an unknown item (VALIDATION_FAILED, field_errors), or the Idempotency-Key was used for a different request (IDEMPOTENCY_KEY_REUSED).",
        schema: z.union([ValidationErrorResponse, IdempotencyKeyReusedResponse]),
      },
    },
    // An unknown item_id is a problem with that line, not a missing URL.
    reference: (body, err) => {
      const line = err.entity === "Item" ? body.items.findIndex((l) => l.item_id === err.id) : -1;
      return line >= 0 ? ["items", line, "item_id"] : undefined;
    },
    async handle({ headers, body }, ctx) {
      const { bill, replayed } = await createBill(ctx, {
        customerName: body.customer_name,
        storeName: body.store_name,
        lines: body.items.map((l) => ({ itemId: l.item_id, quantity: l.quantity })),
        idempotencyKey: headers["idempotency-key"],
      });
      return {
        status: replayed ? 200 : 201,
        body: billJson(bill),
        headers: { location: `/bills/${bill.id}`, ...(replayed ? { "idempotent-replayed": "true" } : {}) },
      };
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
