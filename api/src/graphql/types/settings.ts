// Shop settings and tax rates: queries for everyone signed in, changes for
// MANAGE_SETTINGS (checked in the domain).
import { NotFoundError, ValidationError } from "../../domain/errors.ts";
import { getShopSettings, updateShopSettings, type ShopSettings } from "../../domain/settings.ts";
import {
  appliedTaxRate,
  createTaxRate,
  listCategoryTaxRates,
  listTaxRates,
  setCategoryTaxRate,
  setItemTaxRate,
  updateTaxRate,
  type CategoryTaxRate,
  type TaxRate,
} from "../../domain/tax-rates.ts";
import { builder } from "../builder.ts";
import { TaxRoundingEnum } from "./sale.ts";

const ShopSettingsRef = builder.objectRef<ShopSettings>("ShopSettings").implement({
  description: "The shop's own details and its pricing rules.",
  fields: (t) => ({
    name: t.exposeString("name"),
    address: t.exposeString("address", { nullable: true }),
    phone: t.exposeString("phone", { nullable: true }),
    taxRegistrationNumber: t.exposeString("taxRegistrationNumber", { nullable: true }),
    currency: t.exposeString("currency", { description: "ISO 4217 code, e.g. PKR." }),
    receiptFooter: t.exposeString("receiptFooter", { nullable: true }),
    pricesIncludeTax: t.exposeBoolean("pricesIncludeTax", { description: "true: prices already contain tax; false: tax is added on top." }),
    taxRounding: t.field({ type: TaxRoundingEnum, resolve: (s) => s.taxRounding }),
    cashRounding: t.field({ type: "Money", description: '"0.00" (none), "0.05", "0.10", "0.50" or "1.00".', resolve: (s) => s.cashRounding }),
    timeZone: t.exposeString("timeZone", { description: "IANA time zone, e.g. Asia/Karachi." }),
    cashierDiscountLimit: t.string({ description: "Percent of a bill a cashier may discount without a manager.", resolve: (s) => s.cashierDiscountLimit.toString() }),
    shiftsEnabled: t.exposeBoolean("shiftsEnabled", { description: "Shifts and the cash drawer: sales need an open shift on their register." }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

const TaxRateRef = builder.objectRef<TaxRate>("TaxRate").implement({
  fields: (t) => ({
    id: t.exposeInt("id"),
    name: t.exposeString("name"),
    percent: t.string({ description: 'e.g. "17" or "5.5" (up to 3 decimals).', resolve: (r) => r.percent.toString() }),
    isActive: t.exposeBoolean("isActive"),
  }),
});

builder.prismaObjectField("Item", "taxRate", (t) =>
  t.field({
    type: TaxRateRef,
    nullable: true,
    description: "The tax rate a sale applies now: the item's own, else its category's; null: no tax.",
    resolve: (item, _args, ctx) => appliedTaxRate(ctx, item.id),
  }),
);

const CategoryTaxRateRef = builder.objectRef<CategoryTaxRate>("CategoryTaxRate").implement({
  description: "The default tax rate of the items in a category (an item's own rate overrides it).",
  fields: (t) => ({ category: t.exposeString("category"), taxRate: t.field({ type: TaxRateRef, resolve: (c) => c.taxRate }) }),
});

const ItemTaxRateRef = builder.objectRef<{ itemId: number; taxRateId: number | null }>("ItemTaxRate").implement({
  fields: (t) => ({ itemId: t.exposeInt("itemId"), taxRateId: t.exposeInt("taxRateId", { nullable: true }) }),
});

const UpdateShopSettingsInput = builder.inputType("UpdateShopSettingsInput", {
  description: "Only the fields sent change; null clears an optional one.",
  fields: (t) => ({
    name: t.string({ required: false }),
    address: t.string({ required: false }),
    phone: t.string({ required: false }),
    taxRegistrationNumber: t.string({ required: false }),
    currency: t.string({ required: false }),
    receiptFooter: t.string({ required: false }),
    pricesIncludeTax: t.boolean({ required: false }),
    taxRounding: t.field({ type: TaxRoundingEnum, required: false }),
    cashRounding: t.field({ type: "Money", required: false }),
    timeZone: t.string({ required: false }),
    cashierDiscountLimit: t.field({ type: "Quantity", required: false, description: "0–100, up to 3 decimals." }),
    shiftsEnabled: t.boolean({ required: false, description: "Turn shifts on (sales then need an open shift); off only with no shift open." }),
  }),
});

const TaxRateInput = builder.inputType("TaxRateInput", {
  fields: (t) => ({
    name: t.string({ required: false }),
    percent: t.field({ type: "Quantity", required: false }),
    isActive: t.boolean({ required: false }),
  }),
});

builder.queryFields((t) => ({
  shopSettings: t.field({ type: ShopSettingsRef, resolve: (_, __, ctx) => getShopSettings(ctx) }),
  taxRates: t.field({
    type: [TaxRateRef],
    args: { includeInactive: t.arg.boolean({ required: false, defaultValue: false }) },
    resolve: (_, args, ctx) => listTaxRates(ctx, args),
  }),
  categoryTaxRates: t.field({ type: [CategoryTaxRateRef], resolve: (_, __, ctx) => listCategoryTaxRates(ctx) }),
}));

const named = (name: string, data: string) => ({
  types: [ValidationError, NotFoundError],
  result: { name: `${name}Success` },
  union: { name: `${name}Result` },
  dataField: { name: data },
});

builder.mutationFields((t) => ({
  updateShopSettings: t.field({
    type: ShopSettingsRef,
    errors: named("UpdateShopSettings", "settings"),
    args: { input: t.arg({ type: UpdateShopSettingsInput, required: true }) },
    resolve: (_, { input }, ctx) => updateShopSettings(ctx, input),
  }),
  createTaxRate: t.field({
    type: TaxRateRef,
    errors: named("CreateTaxRate", "taxRate"),
    args: { input: t.arg({ type: TaxRateInput, required: true }) },
    resolve: (_, { input }, ctx) => createTaxRate(ctx, { name: input.name, percent: input.percent, isActive: input.isActive ?? undefined }),
  }),
  updateTaxRate: t.field({
    type: TaxRateRef,
    description: "Old bills keep the name and percent they were sold with.",
    errors: named("UpdateTaxRate", "taxRate"),
    args: { id: t.arg.int({ required: true }), input: t.arg({ type: TaxRateInput, required: true }) },
    resolve: (_, { id, input }, ctx) => updateTaxRate(ctx, id, input),
  }),
  setCategoryTaxRate: t.field({
    type: [CategoryTaxRateRef],
    description: "The default rate for a category (matched in any case); taxRateId null removes it.",
    errors: named("SetCategoryTaxRate", "categoryTaxRates"),
    args: { category: t.arg.string({ required: true }), taxRateId: t.arg.int({ required: false }) },
    resolve: (_, args, ctx) => setCategoryTaxRate(ctx, args),
  }),
  setItemTaxRate: t.field({
    type: ItemTaxRateRef,
    description: "An item's own rate, overriding its category's; taxRateId null returns it to the category's.",
    errors: named("SetItemTaxRate", "itemTaxRate"),
    args: { itemId: t.arg.int({ required: true }), taxRateId: t.arg.int({ required: false }) },
    resolve: (_, args, ctx) => setItemTaxRate(ctx, args),
  }),
}));
