// The shop's settings (name and header for receipts, currency, tax pricing
// and rounding, cash rounding, time zone, the cashier discount limit), kept on
// the default `stores` row so a second store later is a second row.
import type pg from "pg";
import { machineTimeZone } from "../env.ts";
import { inTransaction } from "../db/database.ts";
import { authorize } from "./access.ts";
import type { ServiceContext } from "./context.ts";
import { Problems, ValidationError } from "./errors.ts";
import { Decimal, parseDecimal, type DecimalRule } from "./money.ts";
import { CASH_ROUNDING, TAX_ROUNDING, type CashRounding, type TaxRounding, type TotalsSettings } from "./totals.ts";
import { parseText, type TextRule } from "./text.ts";

/** The store every sale belongs to until multi-store lands. */
export const DEFAULT_STORE_CODE = "main";

export interface ShopSettings {
  storeId: number;
  name: string;
  address: string | null;
  phone: string | null;
  taxRegistrationNumber: string | null;
  /** ISO 4217, e.g. PKR. */
  currency: string;
  receiptFooter: string | null;
  pricesIncludeTax: boolean;
  taxRounding: TaxRounding;
  /** "0.00" (none), "0.05", "0.10", "0.50" or "1.00". */
  cashRounding: CashRounding;
  /** IANA time zone, e.g. Asia/Karachi. */
  timeZone: string;
  /** The most a cashier (anyone without DISCOUNT_OVER_LIMIT) may discount a bill, in percent of its subtotal. */
  cashierDiscountLimit: Decimal;
  /** Shifts and the cash drawer: every cash sale, refund and paid in/out belongs to an open shift of a register. */
  shiftsEnabled: boolean;
  updatedAt: Date;
}

/** What a bill prints at its top and bottom, frozen on the bill when it is made. */
export interface ShopHeader {
  name: string;
  address: string | null;
  phone: string | null;
  taxRegistrationNumber: string | null;
  currency: string;
  receiptFooter: string | null;
  timeZone: string;
}

export const shopHeader = (s: ShopSettings): ShopHeader => ({
  name: s.name,
  address: s.address,
  phone: s.phone,
  taxRegistrationNumber: s.taxRegistrationNumber,
  currency: s.currency,
  receiptFooter: s.receiptFooter,
  timeZone: s.timeZone,
});

export const totalsSettings = (s: ShopSettings): TotalsSettings => ({
  pricesIncludeTax: s.pricesIncludeTax,
  taxRounding: s.taxRounding,
  cashRounding: s.cashRounding,
});

interface StoreRow {
  id: number;
  name: string;
  address: string | null;
  phone: string | null;
  tax_registration_number: string | null;
  currency: string;
  receipt_footer: string | null;
  prices_include_tax: boolean;
  tax_rounding: TaxRounding;
  cash_rounding: string;
  time_zone: string;
  cashier_discount_limit: string;
  shifts_enabled: boolean;
  updated_at: Date;
}

const STORE_COLUMNS =
  "id, name, address, phone, tax_registration_number, currency, receipt_footer, prices_include_tax, tax_rounding, cash_rounding, time_zone, cashier_discount_limit, shifts_enabled, updated_at";

function toSettings(r: StoreRow): ShopSettings {
  return {
    storeId: r.id,
    name: r.name,
    address: r.address,
    phone: r.phone,
    taxRegistrationNumber: r.tax_registration_number,
    currency: r.currency,
    receiptFooter: r.receipt_footer,
    pricesIncludeTax: r.prices_include_tax,
    taxRounding: r.tax_rounding,
    cashRounding: new Decimal(r.cash_rounding).toFixed(2) as CashRounding,
    timeZone: r.time_zone,
    cashierDiscountLimit: new Decimal(r.cashier_discount_limit),
    shiftsEnabled: r.shifts_enabled,
    updatedAt: r.updated_at,
  };
}

/** The settings a sale is priced with (inside its transaction); no permission check: the sale's own check covers it. */
export async function loadShopSettings(db: pg.Pool | pg.PoolClient): Promise<ShopSettings> {
  return toSettings(await storeRow(db, "stores.settings", STORE_COLUMNS));
}

/** The settings with the version bill_sell_priced() compares them against under its locks (a sale priced from a snapshot). */
export interface ShopSettingsSnapshot {
  settings: ShopSettings;
  version: string;
}

const snapshots = new WeakMap<pg.Pool, Promise<ShopSettingsSnapshot>>();

/**
 * The settings as last read on this pool, with their version (a change by
 * anyone moves it, and the sale that sees it forgets this snapshot). One read
 * serves every sale that asks while it runs; a failed read is not kept.
 */
export function shopSettingsSnapshot(pool: pg.Pool): Promise<ShopSettingsSnapshot> {
  let read = snapshots.get(pool);
  if (!read) {
    read = storeRow<{ version: string }>(pool, "stores.settings_snapshot", `${STORE_COLUMNS}, store_settings_version(stores) AS version`).then((row) => ({
      settings: toSettings(row),
      version: row.version,
    }));
    snapshots.set(pool, read);
    read.catch(() => snapshots.get(pool) === read && snapshots.delete(pool));
  }
  return read;
}

export function forgetShopSettingsSnapshot(pool: pg.Pool): void {
  snapshots.delete(pool);
}

async function storeRow<Extra = object>(db: pg.Pool | pg.PoolClient, name: string, columns: string): Promise<StoreRow & Extra> {
  const { rows } = await db.query<StoreRow & Extra>({ name, text: `SELECT ${columns} FROM stores WHERE code = $1`, values: [DEFAULT_STORE_CODE] });
  if (!rows[0]) throw new Error(`the default store (code ${DEFAULT_STORE_CODE}) is missing: migrations not applied?`);
  return rows[0];
}

/**
 * When the first owner is created: a shop still on the migration's default
 * zone (UTC) takes this machine's, so "today", receipts and reports are on the
 * shop's clock from the first sale. Never changes a zone someone chose.
 */
export async function adoptMachineTimeZone(client: pg.PoolClient, zone = machineTimeZone()): Promise<void> {
  await client.query(`UPDATE stores SET time_zone = $2, updated_at = now() WHERE code = $1 AND time_zone = 'UTC' AND $2 <> 'UTC'`, [DEFAULT_STORE_CODE, zone]);
}

export async function getShopSettings(ctx: ServiceContext): Promise<ShopSettings> {
  authorize(ctx, "VIEW_CATALOG");
  return loadShopSettings(ctx.db.pool);
}

export interface UpdateShopSettingsInput {
  name?: unknown;
  address?: unknown;
  phone?: unknown;
  taxRegistrationNumber?: unknown;
  currency?: unknown;
  receiptFooter?: unknown;
  pricesIncludeTax?: unknown;
  taxRounding?: unknown;
  cashRounding?: unknown;
  timeZone?: unknown;
  cashierDiscountLimit?: unknown;
  shiftsEnabled?: unknown;
}

const SHOP_NAME: TextRule = { max: 120, required: true };
const ADDRESS: TextRule = { max: 300, required: false };
const PHONE: TextRule = { max: 40, required: false };
const TAX_NUMBER: TextRule = { max: 60, required: false };
const FOOTER: TextRule = { max: 300, required: false };
export const PERCENT_LIMIT: DecimalRule = { places: 3, max: "100", min: "nonNegative" };

/** An ISO 4217 code that Intl knows how to format. */
function parseCurrency(value: unknown, path: string[]): string {
  const code = typeof value === "string" ? value.trim().toUpperCase() : "";
  let known = /^[A-Z]{3}$/.test(code);
  if (known) {
    try {
      new Intl.NumberFormat("en", { style: "currency", currency: code });
      known = Intl.supportedValuesOf("currency").includes(code);
    } catch {
      known = false;
    }
  }
  if (!known) throw ValidationError.one(path, "must be an ISO 4217 currency code such as PKR, USD or EUR", "INVALID_CURRENCY");
  return code;
}

function parseTimeZone(value: unknown, path: string[]): string {
  const zone = typeof value === "string" ? value.trim() : "";
  try {
    if (!zone) throw new RangeError();
    return new Intl.DateTimeFormat("en", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw ValidationError.one(path, "must be an IANA time zone such as Asia/Karachi or UTC", "INVALID_TIME_ZONE");
  }
}

function parseChoice<T extends string>(value: unknown, path: string[], choices: readonly T[]): T {
  const text = typeof value === "string" ? value.trim() : typeof value === "number" ? value.toFixed(2) : "";
  const found = choices.find((c) => c === text || (/^\d/.test(c) && /^\d*\.?\d+$/.test(text) && new Decimal(c).eq(text)));
  if (!found) throw ValidationError.one(path, `must be one of ${choices.join(", ")}`, "INVALID_VALUE");
  return found;
}

function parseBool(value: unknown, path: string[]): boolean {
  if (typeof value !== "boolean") throw ValidationError.one(path, "must be true or false", "INVALID_TYPE");
  return value;
}

/** Changes only the fields given; each field is checked and every problem named at once. */
export async function updateShopSettings(ctx: ServiceContext, input: UpdateShopSettingsInput): Promise<ShopSettings> {
  authorize(ctx, "MANAGE_SETTINGS");
  const p = new Problems();
  const sets: [column: string, value: unknown][] = [];
  const field = <T>(key: keyof UpdateShopSettingsInput, column: string, parse: (v: unknown, path: string[]) => T, toDb: (v: T) => unknown = (v) => v) => {
    if (input[key] === undefined) return;
    const v = p.take(() => parse(input[key], [key]));
    if (v !== undefined) sets.push([column, toDb(v)]);
  };
  field("name", "name", (v, path) => parseText(v, path, SHOP_NAME));
  field("address", "address", (v, path) => parseText(v, path, ADDRESS));
  field("phone", "phone", (v, path) => parseText(v, path, PHONE));
  field("taxRegistrationNumber", "tax_registration_number", (v, path) => parseText(v, path, TAX_NUMBER));
  field("currency", "currency", parseCurrency);
  field("receiptFooter", "receipt_footer", (v, path) => parseText(v, path, FOOTER));
  field("pricesIncludeTax", "prices_include_tax", parseBool);
  field("taxRounding", "tax_rounding", (v, path) => parseChoice(v, path, TAX_ROUNDING));
  field("cashRounding", "cash_rounding", (v, path) => parseChoice(v, path, CASH_ROUNDING));
  field("timeZone", "time_zone", parseTimeZone);
  field("cashierDiscountLimit", "cashier_discount_limit", (v, path) => parseDecimal(v, path, PERCENT_LIMIT), (d) => d.toFixed(3));
  field("shiftsEnabled", "shifts_enabled", parseBool);
  p.throwIfAny();
  if (!sets.length) return loadShopSettings(ctx.db.pool);
  return inTransaction(ctx.db.pool, async (client) => {
    const { rows } = await client.query<StoreRow>(
      `UPDATE stores SET ${sets.map(([c], i) => `${c} = $${i + 2}`).join(", ")}, updated_at = now() WHERE code = $1 RETURNING ${STORE_COLUMNS}`,
      [DEFAULT_STORE_CODE, ...sets.map(([, v]) => v)],
    );
    const settings = toSettings(rows[0]!);
    // Turning shifts off with a drawer still open would leave its cash uncounted: close it first.
    if (!settings.shiftsEnabled) {
      const open = await client.query<{ register: string }>("SELECT register FROM shifts WHERE store_id = $1 AND status = 'OPEN' ORDER BY id", [settings.storeId]);
      if (open.rows.length) {
        throw ValidationError.one(["shiftsEnabled"], `cannot be turned off while a shift is open (${open.rows.map((r) => r.register).join(", ")}): close it first`, "SHIFT_OPEN");
      }
    }
    return settings;
  }).finally(() => forgetShopSettingsSnapshot(ctx.db.pool));
}
