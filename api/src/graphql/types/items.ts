// Items and stock: the catalogue's types, queries and mutations. Every resolver
// is one call into the domain services.
import { InsufficientStockError, NotFoundError, ValidationError } from "../../domain/errors.ts";
import type { Decimal } from "../../domain/money.ts";
import type { Item } from "../../domain/rows.ts";
import { createItem, findItemBySku, getItem, listCategories, listItems, setItemActive, updateItem } from "../../domain/items.ts";
import { MANUAL_REASONS, adjustStock, countStock, listMovements } from "../../domain/stock.ts";
import { builder } from "../builder.ts";
import { connectionType } from "../connection.ts";
import { orNull } from "../resolve.ts";

export const ItemRef = builder.prismaObject("Item", {
  description: "Something the shop sells: priced per unit (kg, liter, piece) with stock on hand.",
  fields: (t) => ({
    id: t.exposeInt("id"),
    name: t.exposeString("name"),
    sku: t.exposeString("sku", { nullable: true, description: "Optional SKU / barcode, unique." }),
    category: t.exposeString("category"),
    unit: t.exposeString("unit"),
    unitPrice: t.expose("unitPrice", { type: "Money" }),
    stockQty: t.expose("stockQty", { type: "Quantity" }),
    isActive: t.exposeBoolean("isActive"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
    reorderPoint: t.expose("reorderPoint", { type: "Quantity", nullable: true, description: "The item's own reorder point; null uses its category's default (lowStockAt)." }),
    reorderQty: t.expose("reorderQty", { type: "Quantity", nullable: true, description: "The item's own reorder quantity; null uses its category's default." }),
    unitCost: t.expose("unitCost", { type: "Money", nullable: true, description: "What one unit costs the shop (for margins); copied onto each bill line at the sale." }),
    lowStockAt: t.field({
      type: "Quantity",
      description: "The effective reorder point: the item is low on stock when stockQty is at or below it.",
      resolve: async (item, _, ctx) => (item as Item).lowStockAt ?? (await getItem(ctx, item.id)).lowStockAt!,
    }),
    movements: t.field({
      type: [StockMovementRef],
      description: "The stock ledger for this item, newest first.",
      args: { first: t.arg.int({ defaultValue: 20 }) },
      resolve: (item, args, ctx) => listMovements(ctx, item.id, args.first ?? 20),
    }),
  }),
});

const StockReasonEnum = builder.enumType("StockReason", {
  values: { SALE: { value: "SALE" }, RESTOCK: { value: "RESTOCK" }, ADJUSTMENT: { value: "ADJUSTMENT" }, COUNT: { value: "COUNT" }, RETURN: { value: "RETURN" }, VOID: { value: "VOID", description: "Stock back from a voided bill." } } as const,
});

const ManualStockReason = builder.enumType("ManualStockReason", {
  description: "Why stock is changed by hand (sales change stock only through bills).",
  values: Object.fromEntries(MANUAL_REASONS.map((r) => [r.toUpperCase(), { value: r }])) as Record<
    "RESTOCK" | "ADJUSTMENT" | "RETURN",
    { value: (typeof MANUAL_REASONS)[number] }
  >,
});

export const StockMovementRef = builder.prismaObject("StockMovement", {
  description: "One row of the stock ledger: a signed change and the stock it left.",
  fields: (t) => ({
    id: t.exposeInt("id"),
    itemId: t.exposeInt("itemId"),
    quantity: t.expose("quantity", { type: "Quantity", description: "Signed: negative for sales." }),
    stockAfter: t.expose("stockAfter", { type: "Quantity" }),
    reason: t.field({ type: StockReasonEnum, resolve: (m) => m.reason }),
    billId: t.exposeInt("billId", { nullable: true }),
    note: t.exposeString("note", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

const ItemConnection = connectionType("Item", ItemRef);

const CategoryRef = builder.objectRef<{ name: string; itemCount: number }>("Category").implement({
  fields: (t) => ({ name: t.exposeString("name"), itemCount: t.exposeInt("itemCount") }),
});

builder.queryFields((t) => ({
  items: t.field({
    type: ItemConnection,
    description:
      "Items A–Z. With search (any case) they come ranked for a counter: the exact SKU, then names starting with it, then names with a word starting with it, then any other match (the name contains it, from 3 characters; or the SKU starts with it), A–Z within each.",
    args: {
      search: t.arg.string({ required: false }),
      category: t.arg.string({ required: false }),
      includeInactive: t.arg.boolean({ required: false, defaultValue: false }),
      lowStockBelow: t.arg({ type: "Quantity", required: false, description: "Only items with less stock than this." }),
      lowStockOnly: t.arg.boolean({ required: false, description: "Only items at or below their reorder point (lowStockAt)." }),
      first: t.arg.int({ required: false, defaultValue: 50, description: "Page size, 1–200." }),
      after: t.arg.string({ required: false }),
    },
    resolve: (_, args, ctx) => listItems(ctx, args),
  }),
  item: t.field({
    type: ItemRef,
    nullable: true,
    args: { id: t.arg.int({ required: true }) },
    resolve: (_, args, ctx) => orNull(getItem(ctx, args.id)),
  }),
  itemBySku: t.field({
    type: ItemRef,
    nullable: true,
    description: "The item with exactly this SKU / barcode, active or not.",
    args: { sku: t.arg.string({ required: true }) },
    resolve: (_, args, ctx) => findItemBySku(ctx, args.sku),
  }),
  categories: t.field({
    type: [CategoryRef],
    description: "Categories of active items, A–Z.",
    resolve: (_, __, ctx) => listCategories(ctx),
  }),
}));

const CreateItemInput = builder.inputType("CreateItemInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    category: t.string({ required: false, description: 'Defaults to "Other".' }),
    unit: t.string({ required: false, description: 'kg, liter, piece… Defaults to "piece".' }),
    unitPrice: t.field({ type: "Money", required: true }),
    stockQty: t.field({ type: "Quantity", required: false, description: "Opening stock; defaults to 0." }),
    sku: t.string({ required: false }),
    reorderPoint: t.field({ type: "Quantity", required: false, description: "Low stock at or below this; null: the category's default." }),
    reorderQty: t.field({ type: "Quantity", required: false, description: "How much to order when low; null: the category's default." }),
    unitCost: t.field({ type: "Money", required: false, description: "What one unit costs the shop; null: not recorded." }),
  }),
});

const UpdateItemInput = builder.inputType("UpdateItemInput", {
  description: "Only the fields given change. Stock changes go through adjustStock / countStock.",
  fields: (t) => ({
    name: t.string({ required: false }),
    category: t.string({ required: false }),
    unit: t.string({ required: false }),
    unitPrice: t.field({ type: "Money", required: false }),
    sku: t.string({ required: false, description: "null clears it." }),
    reorderPoint: t.field({ type: "Quantity", required: false, description: "Low stock at or below this; null: the category's default." }),
    reorderQty: t.field({ type: "Quantity", required: false, description: "How much to order when low; null: the category's default." }),
    unitCost: t.field({ type: "Money", required: false, description: "What one unit costs the shop; null: not recorded." }),
  }),
});

const AdjustStockInput = builder.inputType("AdjustStockInput", {
  fields: (t) => ({
    itemId: t.int({ required: true }),
    delta: t.field({ type: "Quantity", required: true, description: "Signed change, e.g. 25 or -1.5." }),
    reason: t.field({ type: ManualStockReason, required: false, description: "Defaults to RESTOCK for additions, ADJUSTMENT for removals." }),
    note: t.string({ required: false }),
  }),
});

const CountStockInput = builder.inputType("CountStockInput", {
  fields: (t) => ({
    itemId: t.int({ required: true }),
    countedQty: t.field({ type: "Quantity", required: true, description: "The quantity physically counted." }),
    note: t.string({ required: false }),
  }),
});

const StockChangeRef = builder.objectRef<{ item: Awaited<ReturnType<typeof getItem>>; delta: Decimal }>("StockChange").implement({
  fields: (t) => ({
    item: t.field({ type: ItemRef, resolve: (c) => c.item }),
    delta: t.expose("delta", { type: "Quantity", description: "The signed change applied." }),
  }),
});

const itemErrors = { types: [ValidationError, NotFoundError] };
const named = (name: string, data: string) => ({
  ...itemErrors,
  result: { name: `${name}Success` },
  union: { name: `${name}Result` },
  dataField: { name: data },
});

builder.mutationFields((t) => ({
  createItem: t.field({
    type: ItemRef,
    errors: named("CreateItem", "item"),
    args: { input: t.arg({ type: CreateItemInput, required: true }) },
    resolve: (_, { input }, ctx) => createItem(ctx, input),
  }),
  updateItem: t.field({
    type: ItemRef,
    errors: named("UpdateItem", "item"),
    args: { id: t.arg.int({ required: true }), input: t.arg({ type: UpdateItemInput, required: true }) },
    resolve: (_, { id, input }, ctx) => updateItem(ctx, id, input),
  }),
  setItemActive: t.field({
    type: ItemRef,
    errors: named("SetItemActive", "item"),
    description: "Deactivate (hide from sale and lists) or reactivate an item.",
    args: { id: t.arg.int({ required: true }), active: t.arg.boolean({ required: true }) },
    resolve: (_, { id, active }, ctx) => setItemActive(ctx, id, active),
  }),
  adjustStock: t.field({
    type: StockChangeRef,
    description: "Add or remove stock with a reason. Removing more than is on hand is refused with what is available.",
    errors: { ...named("AdjustStock", "change"), types: [ValidationError, NotFoundError, InsufficientStockError] },
    args: { input: t.arg({ type: AdjustStockInput, required: true }) },
    resolve: (_, { input }, ctx) => adjustStock(ctx, input),
  }),
  countStock: t.field({
    type: StockChangeRef,
    errors: named("CountStock", "change"),
    description: "Set stock to a physical count; the ledger records the difference.",
    args: { input: t.arg({ type: CountStockInput, required: true }) },
    resolve: (_, { input }, ctx) => countStock(ctx, input),
  }),
}));
