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
import { REGISTER } from "../domain/drawer.ts";
import { MAX_PAYMENTS } from "../domain/sale.ts";
import { CASH_ROUNDING, DISCOUNT_KINDS, PAYMENT_METHODS, TAX_ROUNDING } from "../domain/totals.ts";

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

export const DiscountRequest = z
  .strictObject({
    kind: z.enum(DISCOUNT_KINDS).meta({ description: "PERCENT of the amount, or a fixed AMOUNT of money." }),
    value: z.union([z.string(), z.number()], { error: "must be a number or a decimal string" }).meta({
      description: "A percent (0 < p ≤ 100, up to 3 decimals) or an amount (> 0, 2 decimals).",
      examples: ["10"],
    }),
    reason: z.string().meta({ description: "Why (optional), e.g. loyal customer.", maxLength: 200 }).nullable().optional(),
  })
  .register(components, { id: "DiscountRequest" });

export const PaymentRequest = z
  .strictObject({
    method: z.enum(PAYMENT_METHODS).meta({ description: "CASH, CARD, MOBILE (wallet) or OTHER (with a label)." }),
    amount: decimalInput(PRICE, "Cash: what the customer handed over (the excess is change). Others: the amount charged, at most what is still due.", "500"),
    label: z.string().meta({ description: "What an OTHER payment is (required for OTHER), e.g. Voucher.", maxLength: 40 }).nullable().optional(),
    reference: z.string().meta({ description: "Last 4 card digits, wallet transaction id, ...", maxLength: 80 }).nullable().optional(),
  })
  .register(components, { id: "PaymentRequest" });

export const BillLineRequest = z
  .strictObject({
    item_id: id,
    quantity: decimalInput(QUANTITY, "How much, > 0; fractional for kg/liter.", "1.5"),
    discount: DiscountRequest.nullable().optional(),
  })
  .register(components, { id: "BillLineRequest" });

export const CreateBillRequest = z
  .strictObject({
    customer_name: text(PERSON_OR_STORE, "Optional customer name.").nullable().optional(),
    store_name: text(PERSON_OR_STORE, "Optional store name (default: the shop's name).").nullable().optional(),
    items: z.array(BillLineRequest).meta({ minItems: 1, maxItems: MAX_LINES, description: "The lines; repeated items are merged." }),
    bill_discount: DiscountRequest.nullable().optional().meta({ description: "A discount on the whole bill, shared over the lines in proportion to their amounts." }),
    payments: z.array(PaymentRequest).meta({
      maxItems: MAX_PAYMENTS,
      description: "How the bill is paid, in order; they must cover it exactly (only cash may exceed it: change). Leave out for cash paid exactly.",
    }).optional(),
    approval: z
      .strictObject({ username: z.string(), pin: z.string() })
      .meta({ description: "A manager's approval of a discount above your limit." })
      .nullable()
      .optional(),
    expected_total: decimalInput(PRICE, "The total you showed the customer: if the server's differs, nothing is sold (409 TOTAL_CHANGED).", "451.15").nullable().optional(),
    register: text(REGISTER, "With shifts on: the register whose open shift takes the cash (may be left out when only one shift is open).").nullable().optional(),
  })
  .register(components, { id: "CreateBillRequest" });

export const UpdateSettingsRequest = z
  .strictObject({
    name: z.string().meta({ maxLength: 120 }).optional(),
    address: z.string().meta({ maxLength: 300 }).nullable().optional(),
    phone: z.string().meta({ maxLength: 40 }).nullable().optional(),
    tax_registration_number: z.string().meta({ maxLength: 60 }).nullable().optional(),
    currency: z.string().meta({ description: "ISO 4217 code.", examples: ["PKR"] }).optional(),
    receipt_footer: z.string().meta({ maxLength: 300 }).nullable().optional(),
    prices_include_tax: z.boolean().optional(),
    tax_rounding: z.enum(TAX_ROUNDING).optional(),
    cash_rounding: z.enum(CASH_ROUNDING).meta({ description: "0.00 means none." }).optional(),
    time_zone: z.string().meta({ description: "IANA time zone.", examples: ["Asia/Karachi"] }).optional(),
    cashier_discount_limit: decimalInput({ places: 3, max: "100" }, "Percent of a bill a cashier may discount without a manager.", "10").optional(),
    shifts_enabled: z.boolean().meta({ description: "Shifts and the cash drawer: sales then need an open shift on their register; off only with no shift open." }).optional(),
  })
  .meta({ description: "Only the fields sent change; null clears an optional one." })
  .register(components, { id: "UpdateSettingsRequest" });

export const TaxRateRequest = z
  .strictObject({
    name: z.string().meta({ maxLength: 60, examples: ["GST"] }),
    percent: decimalInput({ places: 3, max: "100" }, "0–100.", "17"),
    is_active: z.boolean().optional(),
  })
  .register(components, { id: "TaxRateRequest" });

export const UpdateTaxRateRequest = TaxRateRequest.partial().register(components, { id: "UpdateTaxRateRequest" });

export const TaxRateChoiceRequest = z
  .strictObject({ tax_rate_id: id.nullable().meta({ description: "The rate; null removes it." }) })
  .register(components, { id: "TaxRateChoiceRequest" });

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
  from: z
    .string()
    .meta({ description: "From this date (2026-11-25: from midnight in the shop's time zone) or date-time (without an offset: shop time), inclusive.", examples: ["2026-11-01"] })
    .optional(),
  to: z.string().meta({ description: "To this date (the whole day, in the shop's time zone) or date-time (exclusive).", examples: ["2026-11-30"] }).optional(),
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

const AppliedDiscountResponse = z
  .strictObject({ kind: z.enum(DISCOUNT_KINDS), value: z.string().meta({ examples: ["10.000"] }), amount: money, reason: z.string().nullable() })
  .meta({ description: "A discount as asked (kind, value) and the money it took off (amount)." })
  .register(components, { id: "AppliedDiscount" });

const saleLineFields = {
  sku: z.string().nullable().meta({ description: "The SKU at the time of sale." }),
  discount: AppliedDiscountResponse.nullable(),
  line_discount: money,
  bill_discount_share: money.meta({ description: "This line's share of the bill discount." }),
  tax_rate_name: z.string().nullable(),
  tax_rate_percent: z.string().meta({ examples: ["17"] }),
  taxable_amount: money.meta({ description: "What tax was computed on (tax excluded)." }),
  tax_amount: money,
  charged_total: money.meta({ description: "What the line charges: after discounts, tax included." }),
};

export const BillLineResponse = z
  .strictObject({
    id,
    item_id: id,
    item_name: z.string().meta({ description: "The name at the time of sale." }),
    unit: z.string(),
    unit_price: money.meta({ description: "The price at the time of sale." }),
    quantity,
    line_total: money.meta({ description: "unit_price × quantity, rounded half-up to cents (before discounts)." }),
    ...saleLineFields,
    returned_qty: quantity.meta({ description: "How much of the line has come back." }),
    refunded_total: money.meta({ description: "What returns have refunded for this line." }),
  })
  .register(components, { id: "BillLine" });

const TaxBreakdownResponse = z
  .strictObject({ rate_id: id.nullable(), name: z.string(), percent: z.string(), taxable_base: money, tax: money })
  .register(components, { id: "TaxBreakdownEntry" });

const PaymentResponse = z
  .strictObject({
    position: z.int(),
    method: z.enum(PAYMENT_METHODS),
    amount: money.meta({ description: "The part of the bill this payment paid." }),
    tendered: money.nullable().meta({ description: "Cash only: what was handed over." }),
    change: money,
    label: z.string().nullable(),
    reference: z.string().nullable(),
  })
  .register(components, { id: "Payment" });

const ShopHeaderResponse = z
  .strictObject({
    name: z.string(),
    address: z.string().nullable(),
    phone: z.string().nullable(),
    tax_registration_number: z.string().nullable(),
    currency: z.string(),
    receipt_footer: z.string().nullable(),
    time_zone: z.string(),
  })
  .meta({ description: "The shop's header as printed when the bill was made." })
  .register(components, { id: "ShopHeader" });

const totalsFields = {
  subtotal: money.meta({ description: "Σ line_total: before discounts." }),
  total_amount: money.meta({ description: "What the customer pays: after discounts, with tax and cash rounding." }),
  discount_total: money.meta({ description: "Line discounts plus the bill discount." }),
  tax_total: money,
  cash_rounding: money.meta({ description: "Added to the total by rounding the cash part (0 unless the last payment is cash)." }),
  change_due: money,
};

const billFields = {
  id,
  customer_name: z.string().nullable(),
  store_name: z.string().nullable(),
  idempotency_key: z.string().nullable(),
  cashier_name: z.string().nullable().meta({ description: "Who sold it (null on bills from before staff accounts)." }),
  created_at: timestamp,
  ...totalsFields,
  refunded_total: money.meta({ description: "What returns have refunded of this bill so far." }),
  voided_at: timestamp.nullable().meta({ description: "Set when the bill was voided: it keeps its number and prints as VOID." }),
  void_reason: z.string().nullable(),
  voided_by: z.string().nullable().meta({ description: "Who voided it." }),
};

const saleBillFields = {
  bill_discount: AppliedDiscountResponse.nullable(),
  tax_breakdown: z.array(TaxBreakdownResponse),
  prices_include_tax: z.boolean(),
  tax_rounding: z.enum(TAX_ROUNDING),
  payments: z.array(PaymentResponse),
  shop: ShopHeaderResponse.nullable().meta({ description: "Null on bills made before shop settings existed." }),
  discount_requested_by: z.int().nullable(),
  discount_approved_by: z.int().nullable(),
};

export const BillResponse = z
  .strictObject({ ...billFields, ...saleBillFields, items: z.array(BillLineResponse) })
  .meta({ description: "A bill with its lines (in cart order), totals and payments." })
  .register(components, { id: "Bill" });

export const BillPreviewResponse = z
  .strictObject({
    customer_name: z.string().nullable(),
    store_name: z.string().nullable(),
    ...totalsFields,
    ...saleBillFields,
    items: z.array(BillLineResponse.omit({ id: true, returned_qty: true, refunded_total: true })),
    discount_approval_required: z.boolean().meta({ description: "POST /bills will need a manager's approval for this discount." }),
    discount_percent: z.string().meta({ description: "All discounts as a percent of the subtotal.", examples: ["11.40"] }),
    discount_limit_percent: z.string().nullable().meta({ description: "The most you may discount alone; null: no limit." }),
  })
  .meta({ description: "The bill POST /bills would make now; nothing is written." })
  .register(components, { id: "BillPreview" });

export const SettingsResponse = z
  .strictObject({
    name: z.string(),
    address: z.string().nullable(),
    phone: z.string().nullable(),
    tax_registration_number: z.string().nullable(),
    currency: z.string(),
    receipt_footer: z.string().nullable(),
    prices_include_tax: z.boolean(),
    tax_rounding: z.enum(TAX_ROUNDING),
    cash_rounding: z.enum(CASH_ROUNDING),
    time_zone: z.string(),
    cashier_discount_limit: z.string(),
    shifts_enabled: z.boolean(),
    updated_at: timestamp,
  })
  .register(components, { id: "Settings" });

export const TaxRateResponse = z
  .strictObject({ id, name: z.string(), percent: z.string().meta({ examples: ["17"] }), is_active: z.boolean() })
  .register(components, { id: "TaxRate" });

export const CategoryTaxRateResponse = z.strictObject({ category: z.string(), tax_rate: TaxRateResponse }).register(components, { id: "CategoryTaxRate" });

export const BillSummaryResponse = z
  .strictObject(billFields)
  .meta({ description: "A bill without its lines (GET /bills/{id} has them)." })
  .register(components, { id: "BillSummary" });

export const ItemListResponse = z.array(ItemResponse);
export const BillListResponse = z.array(BillSummaryResponse);

// ---- errors ---------------------------------------------------------------
// Every failure is {"error": {code, message, ...}}; the code is stable, the
// message is for people.

export const errorBody = <T extends z.ZodRawShape>(id: string, description: string, fields: T) =>
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

export const NotAuthorizedResponse = errorBody("NotAuthorizedError", "Signed in, but the role or token scopes lack `permission`; nothing was changed.", {
  code: z.literal("NOT_AUTHORIZED"),
  permission: z.string().meta({ examples: ["EDIT_CATALOG"] }),
});

export const TooManyAttemptsResponse = errorBody("TooManyAttemptsError", "Too many failed sign-ins for the account or from this address.", {
  code: z.literal("TOO_MANY_ATTEMPTS"),
  retry_after_seconds: z.int(),
});

export const SignInRequest = z
  .strictObject({ username: z.string(), password: z.string() })
  .meta({ description: "A staff member's username and password." })
  .register(components, { id: "SignInRequest" });

export const StaffResponse = z
  .strictObject({
    id,
    display_name: z.string(),
    username: z.string(),
    role: z.enum(["OWNER", "MANAGER", "CASHIER"]),
    permissions: z.array(z.string()),
  })
  .meta({ description: "A staff member and what their role allows." })
  .register(components, { id: "Staff" });

export const MeResponse = z
  .strictObject({ staff: StaffResponse.nullable(), token_name: z.string().nullable(), permissions: z.array(z.string()) })
  .meta({ description: "Who the request acts as." })
  .register(components, { id: "Me" });

const amounts = { amount_due: money, paid: money, remaining: money };
export const PaymentShortResponse = errorBody("PaymentShortError", "The payments cover less than the bill; nothing was sold.", {
  code: z.literal("PAYMENT_SHORT"),
  ...amounts,
});
export const PaymentExceedsDueResponse = errorBody(
  "PaymentExceedsDueError",
  "A card, mobile or other payment is above what is still due (only cash may exceed it); nothing was sold.",
  { code: z.literal("PAYMENT_EXCEEDS_DUE"), payment_index: z.int(), method: z.enum(PAYMENT_METHODS), amount: money, remaining: money },
);
export const PaymentNotNeededResponse = errorBody("PaymentNotNeededError", "A payment comes after the bill is paid in full.", {
  code: z.literal("PAYMENT_NOT_NEEDED"),
  payment_index: z.int(),
  method: z.enum(PAYMENT_METHODS),
});
export const TotalChangedResponse = errorBody("TotalChangedError", "The total is not expected_total (a price, rate or setting changed); nothing was sold.", {
  code: z.literal("TOTAL_CHANGED"),
  expected_total: money,
  total: money,
});

export const DiscountApprovalRequiredResponse = errorBody(
  "DiscountApprovalRequiredError",
  "The discount is above what this person may give alone, and no valid approval {username, pin} of a manager or the owner came with it (or it did not count: wrong PIN, locked out, a role that may not approve); nothing was sold.",
  {
    code: z.literal("DISCOUNT_APPROVAL_REQUIRED"),
    discount_percent: z.string().meta({ description: "All discounts as a percent of the subtotal.", examples: ["15.00"] }),
    limit_percent: z.string().meta({ description: "The most this person may give alone.", examples: ["10"] }),
  },
);

// ---- returns and voids ------------------------------------------------------

const approvalRequest = (what: string) =>
  z.strictObject({ username: z.string(), pin: z.string() }).meta({ description: `A manager's approval, when you lack ${what}.` }).nullable().optional();

export const ReturnRequest = z
  .strictObject({
    items: z
      .array(
        z.strictObject({
          bill_item_id: id.meta({ description: "The bill line (items[].id of GET /bills/{id})." }),
          quantity: decimalInput(QUANTITY, "How much comes back, at most what is left of the line.", "1"),
          restock: z.boolean().meta({ description: "true (default): back to stock; false: damaged, recorded only." }).optional(),
        }),
      )
      .meta({ minItems: 1, description: "The lines coming back; each bill line at most once." }),
    reason: z.string().meta({ maxLength: 200, description: "Why the goods came back." }),
    refund_payments: z
      .array(PaymentRequest)
      .meta({ maxItems: MAX_PAYMENTS, description: "How the refund is paid back; must add up to the refund. Leave out: back to the bill's own methods (card/mobile first, cash last)." })
      .optional(),
    register: z.string().meta({ maxLength: 60, description: "The register whose drawer pays cash out (shifts on, several open)." }).nullable().optional(),
    approval: approvalRequest("REFUND"),
  })
  .register(components, { id: "ReturnRequest" });

export const VoidRequest = z
  .strictObject({ reason: z.string().meta({ maxLength: 200, description: "Why the bill is voided." }), approval: approvalRequest("VOID_BILL") })
  .register(components, { id: "VoidRequest" });

const RefundPaymentResponse = z
  .strictObject({ method: z.enum(PAYMENT_METHODS), amount: money, label: z.string().nullable(), reference: z.string().nullable() })
  .register(components, { id: "RefundPayment" });

const returnLineFields = {
  bill_item_id: id,
  item_id: id,
  item_name: z.string(),
  unit: z.string(),
  quantity,
  restock: z.boolean(),
  refund_amount: money.meta({ description: "Refunded for this line, tax included." }),
  tax_amount: money,
  discount_amount: money.meta({ description: "The discounts (line and bill share) these units had been given." }),
};

export const ReturnResponse = z
  .strictObject({
    id,
    bill_id: id,
    reason: z.string(),
    refund_total: money.meta({ description: "What went back to the customer, tax included." }),
    tax_total: money,
    discount_total: money,
    actor_name: z.string().nullable(),
    approved_by_name: z.string().nullable(),
    shift_id: id.nullable(),
    created_at: timestamp,
    items: z.array(z.strictObject({ id, ...returnLineFields })),
    refund_payments: z.array(RefundPaymentResponse),
  })
  .meta({ description: "A return: its own document against a bill (its id is the return number on the slip)." })
  .register(components, { id: "Return" });

export const RefundPreviewResponse = z
  .strictObject({
    bill_id: id,
    items: z.array(z.strictObject({ ...returnLineFields, sold: quantity, already_returned: quantity })),
    refund_total: money,
    tax_total: money,
    discount_total: money,
    rounding: money.meta({ description: "The bill's cash rounding given back by the return that completes the bill." }),
    refund_payments: z.array(RefundPaymentResponse),
    approval_required: z.boolean().meta({ description: "POST /bills/{id}/returns will need a manager's approval." }),
  })
  .meta({ description: "The return POST /bills/{id}/returns would make now; nothing is written." })
  .register(components, { id: "RefundPreview" });

const returnLeftFields = { bill_item_id: id, item_name: z.string(), unit: z.string(), requested: quantity, sold: quantity, already_returned: quantity, left: quantity };
export const ReturnQuantityExceededResponse = errorBody(
  "ReturnQuantityExceededError",
  "More than is left to return (sold − already returned); the first such line is on the error itself, every one in lines. Nothing was changed.",
  { code: z.literal("RETURN_QUANTITY_EXCEEDED"), ...returnLeftFields, lines: z.array(z.strictObject(returnLeftFields)) },
);
export const BillVoidedResponse = errorBody("BillVoidedError", "The bill was voided: nothing on it can be returned or voided again.", {
  code: z.literal("BILL_VOIDED"),
  bill_id: id,
  voided_at: timestamp,
});
export const BillHasReturnsResponse = errorBody("BillHasReturnsError", "The bill has returns, so it cannot be voided.", {
  code: z.literal("BILL_HAS_RETURNS"),
  bill_id: id,
  refunded_total: money,
});
export const VoidWindowClosedResponse = errorBody("VoidWindowClosedError", "Only a bill of the current open shift (shifts off: of today) can be voided.", {
  code: z.literal("VOID_WINDOW_CLOSED"),
  bill_id: id,
});
export const ShiftNotOpenResponse = errorBody("ShiftNotOpenError", "Shifts are on and no shift is open (on the register named) for the cash.", {
  code: z.literal("SHIFT_NOT_OPEN"),
  register: z.string().nullable(),
});
export const RegisterRequiredResponse = errorBody("RegisterRequiredError", "Several registers have an open shift: say which one.", {
  code: z.literal("REGISTER_REQUIRED"),
  open_registers: z.array(z.string()),
});
export const UnknownBillLineResponse = errorBody("UnknownBillLineError", "A bill_item_id that is not a line of this bill.", {
  code: z.literal("UNKNOWN_BILL_LINE"),
  bill_id: id,
  bill_item_id: id,
});
export const RefundPaymentsMismatchResponse = errorBody("RefundPaymentsMismatchError", "refund_payments do not add up to the refund.", {
  code: z.literal("REFUND_PAYMENTS_MISMATCH"),
  refund_total: money,
  payments_total: money,
});
export const ReturnKeyReusedResponse = errorBody("ReturnIdempotencyKeyReusedError", "The Idempotency-Key was already used for a different return (return_id).", {
  code: z.literal("IDEMPOTENCY_KEY_REUSED"),
  idempotency_key: z.string(),
  return_id: id,
});
export const ApprovalRequiredResponse = errorBody("ApprovalRequiredError", "A manager must approve: send approval {username, pin} of someone holding `permission`.", {
  code: z.literal("APPROVAL_REQUIRED"),
  permission: z.string().meta({ examples: ["REFUND"] }),
});

export type ReturnJson = z.output<typeof ReturnResponse>;
export type RefundPreviewJson = z.output<typeof RefundPreviewResponse>;
export type ItemJson = z.output<typeof ItemResponse>;
export type BillJson = z.output<typeof BillResponse>;
export type BillSummaryJson = z.output<typeof BillSummaryResponse>;
export type BillPreviewJson = z.output<typeof BillPreviewResponse>;
export type SettingsJson = z.output<typeof SettingsResponse>;
export type TaxRateJson = z.output<typeof TaxRateResponse>;
