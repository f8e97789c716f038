// The REST layer's wire format (snake_case JSON, as in the original design),
// written once in zod: the same schemas validate requests and generate the
// OpenAPI document. They check shape and types only; the values themselves
// (decimal places, ranges, lengths) are checked by the domain, and the
// documented limits below are read from the domain's own rules.
import { z } from "zod";
import { PRICE, QUANTITY, STOCK, type DecimalRule } from "../domain/money.ts";
import { CATEGORY, IDEMPOTENCY_KEY, ITEM_NAME, PERSON_OR_STORE, SKU, UNIT, type TextRule } from "../domain/text.ts";
import { MAX_PAGE } from "../domain/pagination.ts";
import { MAX_LINES } from "../domain/bills.ts";

/** Schemas that become named components of the OpenAPI document. */
export const components = z.registry<{ id: string }>();

const text = (rule: TextRule, description: string) =>
  z.string().meta({ description, maxLength: rule.max, ...(rule.pattern ? { pattern: rule.pattern.re.source } : {}) });

const decimalInput = (rule: DecimalRule, description: string, example: string) =>
  z.union([z.string(), z.number()], { error: "must be a number or a decimal string" }).meta({
    description: `${description} A decimal string (preferred) or a JSON number; at most ${rule.places} decimal places, up to ${rule.max}.`,
    examples: [example],
  });

export const id = z.int().meta({ description: "Positive whole-number id.", minimum: 1, maximum: 2147483647 });

export const money = z.string().meta({ description: "Money: a decimal string with 2 places.", pattern: "^-?\\d+\\.\\d{2}$", examples: ["160.00"] });
export const quantity = z.string().meta({ description: "Quantity: a decimal string with 3 places.", pattern: "^-?\\d+\\.\\d{3}$", examples: ["1.500"] });
export const timestamp = z.string().meta({ format: "date-time", examples: ["2026-11-25T09:30:00.000Z"] });

// ---- requests -------------------------------------------------------------

export const CreateItemRequest = z
  .strictObject({
    name: text(ITEM_NAME, "Item name, e.g. Sugar."),
    category: text(CATEGORY, "Grocery, Utilities, Beauty, Garments, ... (default Other).").optional(),
    unit: text(UNIT, "kg, liter, piece, ... (default piece).").optional(),
    unit_price: decimalInput(PRICE, "Price per unit, ≥ 0.", "160.00"),
    stock_qty: decimalInput(STOCK, "Opening stock, ≥ 0 (default 0); recorded in the stock ledger.", "10.5").optional(),
    sku: text(SKU, "Optional SKU / barcode, unique.").nullable().optional(),
    reorder_point: decimalInput(STOCK, "Low stock at or below this; null: the category's default (else 5).", "10").nullable().optional(),
    reorder_qty: decimalInput(QUANTITY, "How much to order when low; null: the category's default.", "24").nullable().optional(),
    unit_cost: decimalInput(PRICE, "What one unit costs the shop (for margins); null: not recorded.", "120.00").nullable().optional(),
  })
  .register(components, { id: "CreateItemRequest" });

export const UpdateItemRequest = z
  .strictObject({
    name: text(ITEM_NAME, "New name.").optional(),
    category: text(CATEGORY, "New category.").optional(),
    unit: text(UNIT, "New unit.").optional(),
    unit_price: decimalInput(PRICE, "New price per unit, ≥ 0.", "165.00").optional(),
    sku: text(SKU, "New SKU; null clears it.").nullable().optional(),
    stock_qty: decimalInput(
      STOCK,
      "The quantity physically counted: stock is set to it and the difference is written to the stock ledger as a count. Leave it out unless you counted: it overwrites sales made since you read the item.",
      "12.000",
    ).optional(),
    is_active: z.boolean().meta({ description: "false deactivates the item (it stays on old bills), true reactivates it." }).optional(),
    reorder_point: decimalInput(STOCK, "Low stock at or below this; null: the category's default (else 5).", "10").nullable().optional(),
    reorder_qty: decimalInput(QUANTITY, "How much to order when low; null: the category's default.", "24").nullable().optional(),
    unit_cost: decimalInput(PRICE, "What one unit costs the shop (for margins); null: not recorded.", "120.00").nullable().optional(),
  })
  .meta({ description: "Only the fields sent are changed." })
  .register(components, { id: "UpdateItemRequest" });

export const BillLineRequest = z
  .strictObject({
    item_id: id,
    quantity: decimalInput(QUANTITY, "How much, > 0; fractional for kg/liter.", "1.5"),
  })
  .register(components, { id: "BillLineRequest" });

export const CreateBillRequest = z
  .strictObject({
    customer_name: text(PERSON_OR_STORE, "Optional customer name.").nullable().optional(),
    store_name: text(PERSON_OR_STORE, "Optional store name.").nullable().optional(),
    items: z.array(BillLineRequest).meta({ minItems: 1, maxItems: MAX_LINES, description: "The lines; repeated items are merged." }),
  })
  .register(components, { id: "CreateBillRequest" });

// Query strings and headers arrive as text; these parse them for the domain.
export const wholeNumber = z.string().regex(/^\d{1,9}$/, "must be a whole number").transform(Number);
const boolText = z.enum(["true", "false"]).transform((v) => v === "true");

export const ListItemsQuery = z.strictObject({
  name: z.string().meta({ description: "Substring of the name or SKU, any case." }).optional(),
  category: z.string().meta({ description: "Exact category, any case." }).optional(),
  include_inactive: boolText.meta({ description: "Also list deactivated items (default false)." }).optional(),
  low_stock_below: z.string().meta({ description: "Only items whose stock is below this quantity.", examples: ["5"] }).optional(),
  limit: wholeNumber.meta({ description: `Page size, 1–${MAX_PAGE} (default 50).` }).optional(),
  after: z.string().meta({ description: "Cursor from the previous page's Link header (rel=next)." }).optional(),
});

export const ListBillsQuery = z.strictObject({
  from: z.string().meta({ description: "From this date (2026-11-25, whole day, shop time) or date-time, inclusive.", examples: ["2026-11-01"] }).optional(),
  to: z.string().meta({ description: "To this date (inclusive) or date-time (exclusive).", examples: ["2026-11-30"] }).optional(),
  limit: wholeNumber.meta({ description: `Page size, 1–${MAX_PAGE} (default 50).` }).optional(),
  after: z.string().meta({ description: "Cursor from the previous page's Link header (rel=next)." }).optional(),
});

export const IdParams = z.strictObject({
  id: z.string().regex(/^[1-9]\d{0,9}$/).transform(Number).meta({ description: "The id.", examples: ["1"] }),
});

export const IdempotencyHeaders = z.object({
  "idempotency-key": text(
    IDEMPOTENCY_KEY,
    "Any unique text per sale (e.g. a UUID). Retrying with the same key and body returns the original bill instead of selling twice; the same key with a different body is refused.",
  ).optional(),
});

// ---- responses ------------------------------------------------------------

export const ItemResponse = z
  .strictObject({
    id,
    name: z.string(),
    sku: z.string().nullable(),
    category: z.string(),
    unit: z.string(),
    unit_price: money,
    stock_qty: quantity,
    is_active: z.boolean(),
    created_at: timestamp,
    updated_at: timestamp,
    reorder_point: quantity.nullable().meta({ description: "The item's own reorder point; null uses its category's default." }),
    reorder_qty: quantity.nullable(),
    unit_cost: money.nullable(),
    low_stock_at: quantity.meta({ description: "The effective reorder point: low on stock at or below it." }),
  })
  .register(components, { id: "Item" });

export const BillLineResponse = z
  .strictObject({
    id,
    item_id: id,
    item_name: z.string().meta({ description: "The name at the time of sale." }),
    unit: z.string(),
    unit_price: money.meta({ description: "The price at the time of sale." }),
    quantity,
    line_total: money.meta({ description: "unit_price × quantity, rounded half-up to cents." }),
  })
  .register(components, { id: "BillLine" });

const billFields = {
  id,
  customer_name: z.string().nullable(),
  store_name: z.string().nullable(),
  subtotal: money,
  total_amount: money,
  idempotency_key: z.string().nullable(),
  created_at: timestamp,
};

export const BillResponse = z
  .strictObject({ ...billFields, items: z.array(BillLineResponse) })
  .meta({ description: "A bill with its lines (in cart order) and totals." })
  .register(components, { id: "Bill" });

export const BillSummaryResponse = z
  .strictObject(billFields)
  .meta({ description: "A bill without its lines (GET /bills/{id} has them)." })
  .register(components, { id: "BillSummary" });

export const ItemListResponse = z.array(ItemResponse);
export const BillListResponse = z.array(BillSummaryResponse);

// ---- errors ---------------------------------------------------------------
// Every failure is {"error": {code, message, ...}}; the code is stable, the
// message is for people.

const errorBody = <T extends z.ZodRawShape>(id: string, description: string, fields: T) =>
  z.strictObject({ error: z.strictObject({ code: z.string(), message: z.string(), ...fields }) }).meta({ description }).register(components, { id });

export const ErrorResponse = errorBody("Error", "A failure with a stable code (e.g. NOT_FOUND, MALFORMED_JSON, PAYLOAD_TOO_LARGE).", {});

export const FieldErrorResponse = z
  .strictObject({
    field: z.string().meta({ description: "Where, e.g. items[1].quantity (a header: Idempotency-Key).", examples: ["items[1].quantity"] }),
    code: z.string().meta({ examples: ["NOT_POSITIVE"] }),
    message: z.string(),
  })
  .register(components, { id: "FieldError" });

export const ValidationErrorResponse = errorBody("ValidationError", "The request is well-formed JSON but some fields are wrong; each is named.", {
  code: z.literal("VALIDATION_FAILED"),
  field_errors: z.array(FieldErrorResponse),
});

export const ShortageResponse = z
  .strictObject({ item_id: id, item_name: z.string(), unit: z.string(), requested: quantity, available: quantity })
  .register(components, { id: "Shortage" });

export const InsufficientStockResponse = errorBody(
  "InsufficientStockError",
  "Not enough stock: nothing was sold. The first short item is on the error itself, every short item in shortages.",
  {
    code: z.literal("INSUFFICIENT_STOCK"),
    item_id: id,
    item_name: z.string(),
    unit: z.string(),
    requested: quantity,
    available: quantity,
    shortages: z.array(ShortageResponse),
  },
);

export const ItemInactiveResponse = errorBody("ItemInactiveError", "The item is deactivated and cannot be sold.", {
  code: z.literal("ITEM_INACTIVE"),
  item_id: id,
  item_name: z.string(),
});

export const IdempotencyKeyReusedResponse = errorBody(
  "IdempotencyKeyReusedError",
  "The Idempotency-Key was already used for a different request (the original bill is bill_id).",
  { code: z.literal("IDEMPOTENCY_KEY_REUSED"), idempotency_key: z.string(), bill_id: id },
);

export type ItemJson = z.output<typeof ItemResponse>;
export type BillJson = z.output<typeof BillResponse>;
export type BillSummaryJson = z.output<typeof BillSummaryResponse>;
