// /settings and /tax-rates: the shop's settings and its tax rates over REST,
// in the wire's snake_case. Changes need MANAGE_SETTINGS (checked in the domain).
import { z } from "zod";
import { getShopSettings, updateShopSettings } from "../domain/settings.ts";
import { createTaxRate, listCategoryTaxRates, listTaxRates, setCategoryTaxRate, setItemTaxRate, updateTaxRate } from "../domain/tax-rates.ts";
import { categoryTaxRateJson, settingsJson, taxRateJson } from "./json.ts";
import { operation } from "./operation.ts";
import { invalid, notFound } from "./responses.ts";
import {
  CategoryTaxRateResponse,
  ErrorResponse,
  IdParams,
  SettingsResponse,
  TaxRateChoiceRequest,
  TaxRateRequest,
  TaxRateResponse,
  UpdateSettingsRequest,
  UpdateTaxRateRequest,
} from "./schemas.ts";

const tag = "Settings";

// A path segment that is not valid percent-encoding (say "%E0%A4%A") names no category: 404, not a 500.
const categoryInPath = z.string().transform((c, ctx) => {
  try {
    return decodeURIComponent(c);
  } catch {
    ctx.issues.push({ code: "custom", message: "is not valid percent-encoding", input: c });
    return z.NEVER;
  }
});

export const settingsOperations = [
  operation({
    method: "GET",
    path: "/settings",
    permission: "VIEW_CATALOG",
    operationId: "getSettings",
    tag,
    summary: "The shop's settings",
    responses: { 200: { description: "Name, receipt header and footer, currency, tax pricing and rounding, cash rounding, time zone, cashier discount limit.", schema: SettingsResponse } },
    async handle(_, ctx) {
      return { status: 200, body: settingsJson(await getShopSettings(ctx)) };
    },
  }),
  operation({
    method: "PUT",
    path: "/settings",
    permission: "MANAGE_SETTINGS",
    operationId: "updateSettings",
    tag,
    summary: "Change the shop's settings",
    description: "Only the fields sent change. Bills already made keep the header and rules they were made with.",
    body: UpdateSettingsRequest,
    example: { name: "Ali Traders", currency: "PKR", prices_include_tax: false, cash_rounding: "0.50", time_zone: "Asia/Karachi" },
    responses: { 200: { description: "The settings now.", schema: SettingsResponse }, 422: invalid() },
    async handle({ body }, ctx) {
      const s = await updateShopSettings(ctx, {
        name: body.name,
        address: body.address,
        phone: body.phone,
        taxRegistrationNumber: body.tax_registration_number,
        currency: body.currency,
        receiptFooter: body.receipt_footer,
        pricesIncludeTax: body.prices_include_tax,
        taxRounding: body.tax_rounding,
        cashRounding: body.cash_rounding,
        timeZone: body.time_zone,
        cashierDiscountLimit: body.cashier_discount_limit,
        shiftsEnabled: body.shifts_enabled,
      });
      return { status: 200, body: settingsJson(s) };
    },
  }),
  operation({
    method: "GET",
    path: "/tax-rates",
    permission: "VIEW_CATALOG",
    operationId: "listTaxRates",
    tag,
    summary: "Tax rates",
    query: z.strictObject({ include_inactive: z.enum(["true", "false"]).transform((v) => v === "true").optional() }),
    responses: { 200: { description: "Active rates (all with include_inactive=true), lowest percent first.", schema: z.array(TaxRateResponse) }, 422: invalid("A query parameter is invalid") },
    async handle({ query }, ctx) {
      return { status: 200, body: (await listTaxRates(ctx, { includeInactive: query.include_inactive })).map(taxRateJson) };
    },
  }),
  operation({
    method: "POST",
    path: "/tax-rates",
    permission: "MANAGE_SETTINGS",
    operationId: "createTaxRate",
    tag,
    summary: "Add a tax rate",
    body: TaxRateRequest,
    example: { name: "GST", percent: "17" },
    responses: { 201: { description: "The new rate.", schema: TaxRateResponse }, 422: invalid("A field is invalid or the name is taken") },
    async handle({ body }, ctx) {
      return { status: 201, body: taxRateJson(await createTaxRate(ctx, { name: body.name, percent: body.percent, isActive: body.is_active })) };
    },
  }),
  operation({
    method: "PUT",
    path: "/tax-rates/{id}",
    permission: "MANAGE_SETTINGS",
    operationId: "updateTaxRate",
    tag,
    summary: "Rename, re-rate or (de)activate a tax rate",
    description: "Old bills keep the name and percent they were sold with; an inactive rate no longer applies to new sales.",
    params: IdParams,
    body: UpdateTaxRateRequest,
    example: { percent: "18" },
    responses: { 200: { description: "The rate now.", schema: TaxRateResponse }, 404: notFound("tax rate"), 422: invalid() },
    async handle({ params, body }, ctx) {
      return { status: 200, body: taxRateJson(await updateTaxRate(ctx, params.id, { name: body.name, percent: body.percent, isActive: body.is_active })) };
    },
  }),
  operation({
    method: "GET",
    path: "/category-tax-rates",
    permission: "VIEW_CATALOG",
    operationId: "listCategoryTaxRates",
    tag,
    summary: "Default tax rate per category",
    responses: { 200: { description: "Each category with a default rate.", schema: z.array(CategoryTaxRateResponse) } },
    async handle(_, ctx) {
      return { status: 200, body: (await listCategoryTaxRates(ctx)).map(categoryTaxRateJson) };
    },
  }),
  operation({
    method: "PUT",
    path: "/category-tax-rates/{category}",
    permission: "MANAGE_SETTINGS",
    operationId: "setCategoryTaxRate",
    tag,
    summary: "Set a category's default tax rate",
    description: "Items in the category (any case) get this rate unless they have their own; tax_rate_id null removes it.",
    params: z.strictObject({ category: categoryInPath.meta({ examples: ["Grocery"] }) }),
    body: TaxRateChoiceRequest,
    example: { tax_rate_id: 1 },
    responses: {
      200: { description: "Every category's default rate now.", schema: z.array(CategoryTaxRateResponse) },
      404: { description: "The category in the path is not valid percent-encoding (NOT_FOUND).", schema: ErrorResponse },
      422: invalid("The category is too long, or the rate does not exist or is inactive"),
    },
    async handle({ params, body }, ctx) {
      return { status: 200, body: (await setCategoryTaxRate(ctx, { category: params.category, taxRateId: body.tax_rate_id })).map(categoryTaxRateJson) };
    },
  }),
  operation({
    method: "PUT",
    path: "/items/{id}/tax-rate",
    permission: "MANAGE_SETTINGS",
    operationId: "setItemTaxRate",
    tag,
    summary: "Give an item its own tax rate",
    description: "Overrides the category's rate; tax_rate_id null returns the item to its category's.",
    params: IdParams,
    body: TaxRateChoiceRequest,
    example: { tax_rate_id: 1 },
    responses: {
      200: { description: "The item's own rate now.", schema: z.strictObject({ item_id: z.int(), tax_rate_id: z.int().nullable() }) },
      404: notFound("item"),
      422: invalid("The rate does not exist or is inactive"),
    },
    async handle({ params, body }, ctx) {
      const r = await setItemTaxRate(ctx, { itemId: params.id, taxRateId: body.tax_rate_id });
      return { status: 200, body: { item_id: r.itemId, tax_rate_id: r.taxRateId } };
    },
  }),
];
