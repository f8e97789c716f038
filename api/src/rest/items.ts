// /items: the catalogue over REST. Each operation parses, calls the domain and
// maps the result; rules live in domain/items.ts and domain/stock.ts.
import { createItem, getItem, listItems, setItemActive, updateItem } from "../domain/items.ts";
import { itemJson, nextLink } from "./json.ts";
import { operation } from "./operation.ts";
import { invalid, location, nextPage, notFound } from "./responses.ts";
import { CreateItemRequest, IdParams, ItemListResponse, ItemResponse, ListItemsQuery, UpdateItemRequest } from "./schemas.ts";

const tag = "Items";

export const itemOperations = [
  operation({
    method: "GET",
    path: "/items",
    operationId: "listItems",
    permission: "VIEW_CATALOG",
    tag,
    summary: "List or search items",
    description: "Active items A–Z (case-insensitive), optionally filtered. Pages of `limit` items; the Link header points to the next page.",
    query: ListItemsQuery,
    responses: {
      200: { description: "The items.", schema: ItemListResponse, headers: nextPage },
      422: invalid("A query parameter is invalid"),
    },
    async handle({ query, url }, ctx) {
      const page = await listItems(ctx, {
        search: query.name,
        category: query.category,
        includeInactive: query.include_inactive,
        lowStockBelow: query.low_stock_below,
        first: query.limit,
        after: query.after,
      });
      return { status: 200, body: page.nodes.map(itemJson), headers: nextLink(url, page) };
    },
  }),

  operation({
    method: "POST",
    path: "/items",
    operationId: "createItem",
    permission: "EDIT_CATALOG",
    tag,
    summary: "Add an item",
    description: "Opening stock, if any, is written to the stock ledger as a restock.",
    body: CreateItemRequest,
    example: { name: "Sugar", category: "Grocery", unit: "kg", unit_price: "160.00", stock_qty: "25" },
    responses: {
      201: { description: "The new item.", schema: ItemResponse, headers: location("/items/42") },
      422: invalid(),
    },
    async handle({ body }, ctx) {
      const item = await createItem(ctx, {
        name: body.name,
        category: body.category,
        unit: body.unit,
        unitPrice: body.unit_price,
        stockQty: body.stock_qty,
        sku: body.sku,
        reorderPoint: body.reorder_point,
        reorderQty: body.reorder_qty,
        unitCost: body.unit_cost,
      });
      return { status: 201, body: itemJson(item), headers: { location: `/items/${item.id}` } };
    },
  }),

  operation({
    method: "GET",
    path: "/items/{id}",
    operationId: "getItem",
    permission: "VIEW_CATALOG",
    tag,
    summary: "Get one item",
    description: "Deactivated items are found too (is_active tells).",
    params: IdParams,
    responses: { 200: { description: "The item.", schema: ItemResponse }, 404: notFound("item") },
    async handle({ params }, ctx) {
      return { status: 200, body: itemJson(await getItem(ctx, params.id)) };
    },
  }),

  operation({
    method: "PUT",
    path: "/items/{id}",
    operationId: "updateItem",
    permission: "EDIT_CATALOG",
    tag,
    summary: "Update an item",
    description:
      "Changes only the fields sent. `stock_qty` records a physical count (the stock ledger keeps the difference); `is_active` deactivates or reactivates.",
    params: IdParams,
    body: UpdateItemRequest,
    example: { unit_price: "165.00" },
    responses: {
      200: { description: "The updated item.", schema: ItemResponse },
      404: notFound("item"),
      422: invalid(),
    },
    async handle({ params, body }, ctx) {
      // One domain call, one transaction: details, active flag and a stock count together or not at all.
      const item = await updateItem(ctx, params.id, {
        name: body.name,
        category: body.category,
        unit: body.unit,
        unitPrice: body.unit_price,
        sku: body.sku,
        isActive: body.is_active,
        reorderPoint: body.reorder_point,
        reorderQty: body.reorder_qty,
        unitCost: body.unit_cost,
        countedQty: body.stock_qty,
        countNote: body.stock_qty === undefined ? undefined : "Count via REST PUT /items",
      });
      return { status: 200, body: itemJson(item) };
    },
  }),

  operation({
    method: "DELETE",
    path: "/items/{id}",
    operationId: "deactivateItem",
    permission: "EDIT_CATALOG",
    tag,
    summary: "Deactivate an item (soft delete)",
    description: "The item stays on old bills and can be reactivated with PUT `{\"is_active\": true}`. Deleting twice is harmless.",
    params: IdParams,
    responses: { 200: { description: "The deactivated item.", schema: ItemResponse }, 404: notFound("item") },
    async handle({ params }, ctx) {
      return { status: 200, body: itemJson(await setItemActive(ctx, params.id, false)) };
    },
  }),
];
