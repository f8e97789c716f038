// Low stock, the suggested purchase list, category defaults and stock alerts.
import { ValidationError } from "../../domain/errors.ts";
import {
  listCategoryDefaults,
  listLowStock,
  listStockAlerts,
  reorderSuggestions,
  setCategoryDefault,
  type CategoryDefault,
  type ReorderGroup,
  type ReorderLine,
  type StockAlert,
} from "../../domain/thresholds.ts";
import { builder } from "../builder.ts";
import { ItemRef } from "./items.ts";

const ReorderLineRef = builder.objectRef<ReorderLine>("ReorderLine").implement({
  description: "One item to order: how much, and what it should cost at its recorded unit cost.",
  fields: (t) => ({
    item: t.field({ type: ItemRef, resolve: (l) => l.item }),
    quantity: t.expose("quantity", { type: "Quantity", description: "The reorder quantity, else enough to reach twice the reorder point." }),
    estimatedCost: t.expose("estimatedCost", { type: "Money", nullable: true, description: "quantity × unit cost; null when the cost is not recorded." }),
  }),
});

const ReorderGroupRef = builder.objectRef<ReorderGroup>("ReorderGroup").implement({
  description: "The items of one category to order.",
  fields: (t) => ({
    category: t.exposeString("category"),
    lines: t.field({ type: [ReorderLineRef], resolve: (g) => g.lines }),
    estimatedCost: t.expose("estimatedCost", { type: "Money", description: "Sum of the known estimated costs." }),
    linesWithoutCost: t.exposeInt("linesWithoutCost", { description: "Lines not in estimatedCost (no unit cost recorded)." }),
  }),
});

const CategoryDefaultRef = builder.objectRef<CategoryDefault>("CategoryDefault").implement({
  description: "Reorder defaults for the items of a category that set none of their own.",
  fields: (t) => ({
    category: t.exposeString("category"),
    reorderPoint: t.expose("reorderPoint", { type: "Quantity" }),
    reorderQty: t.expose("reorderQty", { type: "Quantity", nullable: true }),
  }),
});

export const StockAlertRef = builder.objectRef<StockAlert>("StockAlert").implement({
  description: "Raised once when an item reaches its reorder point; cleared when its stock is back above.",
  fields: (t) => ({
    id: t.exposeInt("id"),
    itemId: t.exposeInt("itemId"),
    itemName: t.exposeString("itemName"),
    unit: t.exposeString("unit"),
    stockQty: t.expose("stockQty", { type: "Quantity", description: "Stock when the alert was raised." }),
    reorderPoint: t.expose("reorderPoint", { type: "Quantity" }),
    raisedAt: t.expose("raisedAt", { type: "DateTime" }),
    clearedAt: t.expose("clearedAt", { type: "DateTime", nullable: true }),
  }),
});

builder.queryFields((t) => ({
  lowStockItems: t.field({
    type: [ItemRef],
    description: "Active items whose stock is at or below their reorder point (lowStockAt), by category and name.",
    args: { category: t.arg.string({ required: false }) },
    resolve: (_, args, ctx) => listLowStock(ctx, args),
  }),
  reorderSuggestions: t.field({
    type: [ReorderGroupRef],
    description: "What to order: every low item with a suggested quantity and cost, grouped by category.",
    args: { category: t.arg.string({ required: false }) },
    resolve: (_, args, ctx) => reorderSuggestions(ctx, args),
  }),
  categoryDefaults: t.field({ type: [CategoryDefaultRef], resolve: (_, __, ctx) => listCategoryDefaults(ctx) }),
  stockAlerts: t.field({
    type: [StockAlertRef],
    description: "Low-stock alerts, newest first: open ones only unless includeCleared.",
    args: { includeCleared: t.arg.boolean({ required: false, defaultValue: false }), first: t.arg.int({ required: false, defaultValue: 50 }) },
    resolve: (_, args, ctx) => listStockAlerts(ctx, args),
  }),
}));

const SetCategoryDefaultInput = builder.inputType("SetCategoryDefaultInput", {
  fields: (t) => ({
    category: t.string({ required: true }),
    reorderPoint: t.field({ type: "Quantity", required: false, description: "null removes the category's defaults." }),
    reorderQty: t.field({ type: "Quantity", required: false }),
  }),
});

builder.mutationFields((t) => ({
  setCategoryDefault: t.field({
    type: CategoryDefaultRef,
    nullable: true,
    description: "Sets the reorder defaults of a category (null reorderPoint removes them). Items with their own values keep them.",
    errors: { types: [ValidationError], result: { name: "SetCategoryDefaultSuccess" }, union: { name: "SetCategoryDefaultResult" }, dataField: { name: "categoryDefault" } },
    args: { input: t.arg({ type: SetCategoryDefaultInput, required: true }) },
    resolve: (_, { input }, ctx) => setCategoryDefault(ctx, { ...input, reorderPoint: input.reorderPoint ?? null }),
  }),
}));
