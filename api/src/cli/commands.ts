// Non-interactive subcommands for scripts (`storelite items list --json`, ...).
// Exit codes: 0 done, 1 refused by the rules (validation, not found, not enough
// stock), 2 usage error, 3 could not run (settings, database, a bug).
import path from "node:path";
import { parseArgs } from "node:util";
import type { Manifest } from "../backup/format.ts";
import { backupNow, checkBackupFile, restoreFromBackup } from "../domain/backup.ts";
import { defaultBackupDir } from "../env.ts";
import { createBill, getBill, listBills } from "../domain/bills.ts";
import { shopTimeZone } from "../domain/shop.ts";
import { voidBill } from "../domain/voids.ts";
import type { ServiceContext } from "../domain/context.ts";
import { DomainError, InsufficientStockError, ValidationError, type FieldError } from "../domain/errors.ts";
import { createItem, getItem } from "../domain/items.ts";
import { ROLES, TOKEN_SCOPES, authorize } from "../domain/access.ts";
import { changeOwnCredentials, createStaff, listStaff } from "../domain/staff.ts";
import { CONSOLE_ADDRESS } from "./signin.ts";
import { createApiToken, listApiTokens, revokeApiToken } from "../domain/tokens.ts";
import type { Prompter } from "./prompt.ts";
import { formatMoney, formatQuantity } from "../domain/money.ts";
import { billJson, billSummaryJson, formatDateTime, formatInvoice, formatItemDetails, formatItemTable, formatSettings, formatTable, itemJson } from "./format.ts";
import { writeInvoice } from "./invoices.ts";
import { REPORT_NAMES, REPORT_OPTIONS, REPORT_USAGE, parseReport, runReport, type ReportCommand, type ReportName } from "./reports.ts";
import { allItems } from "./session.ts";
import { IMPORT_OPTIONS_HELP, IMPORT_USAGE, executeImportCommand, parseImportCommand, type ImportCommand, type ImportIO } from "./catalog-io.ts";
import { getShopSettings, updateShopSettings, type ShopSettings, type UpdateShopSettingsInput } from "../domain/settings.ts";
import { SHIFT_OPTIONS, SHIFT_USAGE, executeShiftCommand, parseShiftCommand, type ShiftCommand } from "./shifts.ts";

export const EXIT = { ok: 0, refused: 1, usage: 2, failed: 3, interrupted: 130 } as const;

export const SERVICE_USAGE = `  storelite service install [--user | --system] [--as USER] [--no-start] [--print]
  storelite service uninstall [--user | --system]
  storelite service status [--user | --system]`;

export const USAGE = `StoreLite console program

Usage:
  storelite                               interactive menus (inventory, billing, shop settings)
  storelite items list [--search TEXT] [--category NAME] [--all] [--json]
  storelite items show ID [--json]
  storelite items add --name NAME --price PRICE [--category NAME] [--unit UNIT]
                      [--stock QTY] [--sku CODE] [--json]
  storelite bill create --item ID=QTY [--item ID=QTY ...] [--customer NAME]
                      [--store NAME] [--key IDEMPOTENCY_KEY] [--register NAME] [--json]
  storelite bill show ID [--json]
  storelite bill list [--from DATE] [--to DATE] [--period PERIOD] [--limit N] [--json]
                                          bills newest first; dates are days in the shop's
                                          time zone (--to includes that whole day)
  storelite bill void ID --reason TEXT [--json]   (a bill of today / the open shift; prints it as VOID)
  storelite backup [--to DIR] [--json]     a backup file of the whole database now
  storelite backup verify FILE [--json]    check a backup file without restoring it
  storelite restore FILE [--force] [--json]
                                          restore a backup (into a non-empty database
                                          only with --force: it replaces everything)
${IMPORT_USAGE}
  storelite token create --name NAME --scopes PERM[,PERM...] [--expires DATE] [--json]
  storelite token list [--json]
  storelite token revoke ID
  storelite staff list [--json]
  storelite password [--pin | --remove-pin] [--json]
                                          change your own password (or PIN); asks for
                                          the current password, then the new one twice
  storelite staff add --name NAME --username USER --role OWNER|MANAGER|CASHIER [--pin PIN]
                      (asks for the new account's password)
  storelite settings show [--json]
  storelite settings set [--name NAME] [--address TEXT] [--phone TEXT] [--tax-number TEXT]
                      [--currency CODE] [--footer TEXT] [--prices-include-tax true|false]
                      [--tax-rounding PER_LINE|PER_BILL_PER_RATE] [--cash-rounding 0.05]
                      [--time-zone ZONE] [--cashier-discount-limit PERCENT]
                      [--shifts true|false] [--json]
${SHIFT_USAGE}
${REPORT_USAGE}
${SERVICE_USAGE}
  storelite help

Who is working: the menus and every subcommand ask for a username and a PIN
or password, and act with that person's role. Scripts set STORELITE_TOKEN to an
API token (from "storelite token create") instead. Permissions for --scopes:
${TOKEN_SCOPES.join(", ")}.

Options:
  --all       include deactivated items
  --json      print the result as JSON on stdout (errors as JSON on stderr)
  --key       an idempotency key: running the same bill create again with the
              same key returns the first bill instead of selling twice
  --verbose   show database start-up messages on stderr
${IMPORT_OPTIONS_HELP}
  service     StoreLite started at boot by systemd and restarted if it fails
              (a system service as root, else --user; --print shows the unit)

Exit codes: 0 ok, 1 refused (validation, not found, not enough stock),
2 usage error, 3 could not run (settings, database), 130 interrupted.
Invoices from "bill create" are written to STORELITE_INVOICE_DIR (default: invoices/),
backups to STORELITE_BACKUP_DIR (default: .data/backups/) unless --to is given.`;

export class UsageError extends Error {}

export type Command =
  | { kind: "help" }
  | { kind: "items-list"; search?: string; category?: string; all: boolean; json: boolean }
  | { kind: "items-show"; id: string; json: boolean }
  | {
      kind: "items-add";
      json: boolean;
      input: { name: string; unitPrice: string; category?: string; unit?: string; stockQty?: string; sku?: string };
    }
  | {
      kind: "bill-create";
      json: boolean;
      customerName?: string;
      storeName?: string;
      idempotencyKey?: string;
      register?: string;
      /** As typed, for messages: "5=1.5". */
      itemArgs: string[];
      lines: { itemId: string; quantity: string }[];
    }
  | { kind: "bill-show"; id: string; json: boolean }
  | { kind: "bill-list"; from?: string; to?: string; period?: string; limit?: string; json: boolean }
  | { kind: "bill-void"; id: string; reason?: string; json: boolean }
  | { kind: "backup"; to?: string; json: boolean }
  | { kind: "backup-verify"; file: string; json: boolean }
  | { kind: "restore"; file: string; force: boolean; json: boolean }
  | ImportCommand
  | { kind: "token-create"; name: string; scopes: string[]; expiresAt?: string; json: boolean }
  | { kind: "token-list"; json: boolean }
  | { kind: "token-revoke"; id: string; json: boolean }
  | { kind: "staff-list"; json: boolean }
  | { kind: "password"; change: "password" | "pin" | "remove-pin"; json: boolean }
  | { kind: "staff-add"; json: boolean; input: { displayName: string; username: string; role: string; pin?: string } }
  | { kind: "settings-show"; json: boolean }
  | { kind: "settings-set"; json: boolean; input: UpdateShopSettingsInput }
  | ReportCommand
  | ShiftCommand;

const common = { json: { type: "boolean" }, verbose: { type: "boolean" } } as const;
const text = { type: "string" } as const;
const flag = { type: "boolean" } as const;

/** Runs node's parseArgs, turning its complaints into usage errors, and checks the positional count. */
function usage<T extends { positionals: string[] }>(parse: () => T, positionals: number): T {
  let parsed: T;
  try {
    parsed = parse();
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (parsed.positionals.length !== positionals) {
    throw new UsageError(
      positionals ? `expected ${positionals} argument(s), got ${parsed.positionals.length}` : `unexpected argument "${parsed.positionals[0]}"`,
    );
  }
  return parsed;
}

/** Reads argv (after the program name) into a command; throws UsageError. */
export function parseCommand(argv: string[]): Command {
  const [noun, verb, ...rest] = argv;
  if (noun === undefined || noun === "help" || noun === "--help" || noun === "-h") return { kind: "help" };
  if (noun === "backup" && verb !== "verify") {
    const args = verb === undefined ? rest : [verb, ...rest];
    const { values } = usage(() => parseArgs({ args, options: { ...common, to: text }, allowPositionals: true, strict: true }), 0);
    return { kind: "backup", to: values.to, json: Boolean(values.json) };
  }
  if (noun === "restore") {
    const args = verb === undefined ? rest : [verb, ...rest];
    const { values, positionals } = usage(() => parseArgs({ args, options: { ...common, force: flag }, allowPositionals: true, strict: true }), 1);
    return { kind: "restore", file: positionals[0]!, force: Boolean(values.force), json: Boolean(values.json) };
  }
  if (noun === "password") {
    const args = verb === undefined ? rest : [verb, ...rest];
    const { values } = usage(() => parseArgs({ args, options: { ...common, pin: flag, "remove-pin": flag }, allowPositionals: true, strict: true }), 0);
    if (values.pin && values["remove-pin"]) throw new UsageError("--pin and --remove-pin do not go together");
    return { kind: "password", change: values.pin ? "pin" : values["remove-pin"] ? "remove-pin" : "password", json: Boolean(values.json) };
  }
  const what = `${noun} ${verb ?? ""}`.trim();
  switch (what) {
    case "backup verify": {
      const { values, positionals } = usage(() => parseArgs({ args: rest, options: common, allowPositionals: true, strict: true }), 1);
      return { kind: "backup-verify", file: positionals[0]!, json: Boolean(values.json) };
    }
    case "items list": {
      const { values } = usage(
        () => parseArgs({ args: rest, options: { ...common, search: text, category: text, all: flag }, allowPositionals: true, strict: true }),
        0,
      );
      return { kind: "items-list", search: values.search, category: values.category, all: Boolean(values.all), json: Boolean(values.json) };
    }
    case "items show":
    case "bill show": {
      const { values, positionals } = usage(() => parseArgs({ args: rest, options: common, allowPositionals: true, strict: true }), 1);
      return { kind: noun === "items" ? "items-show" : "bill-show", id: positionals[0]!, json: Boolean(values.json) };
    }
    case "bill list": {
      const options = { ...common, from: text, to: text, period: text, limit: text } as const;
      const { values: v } = usage(() => parseArgs({ args: rest, options, allowPositionals: true, strict: true }), 0);
      return { kind: "bill-list", from: v.from, to: v.to, period: v.period?.toUpperCase(), limit: v.limit, json: Boolean(v.json) };
    }
    case "items add": {
      const options = { ...common, name: text, price: text, category: text, unit: text, stock: text, sku: text };
      const { values } = usage(() => parseArgs({ args: rest, options, allowPositionals: true, strict: true }), 0);
      if (values.name === undefined) throw new UsageError("--name is required");
      if (values.price === undefined) throw new UsageError("--price is required");
      return {
        kind: "items-add",
        json: Boolean(values.json),
        input: { name: values.name, unitPrice: values.price, category: values.category, unit: values.unit, stockQty: values.stock, sku: values.sku },
      };
    }
    case "bill create": {
      const options = { ...common, item: { type: "string", multiple: true }, customer: text, store: text, key: text, register: text } as const;
      const { values } = usage(() => parseArgs({ args: rest, options, allowPositionals: true, strict: true }), 0);
      const itemArgs = values.item ?? [];
      if (!itemArgs.length) throw new UsageError("at least one --item ID=QTY is required");
      const lines = itemArgs.map((arg) => {
        const m = /^([^=]*)=(.*)$/.exec(arg);
        if (!m) throw new UsageError(`--item ${arg}: expected ID=QTY, e.g. --item 5=1.5`);
        return { itemId: m[1]!.trim(), quantity: m[2]!.trim() };
      });
      return {
        kind: "bill-create",
        json: Boolean(values.json),
        customerName: values.customer,
        storeName: values.store,
        idempotencyKey: values.key,
        register: values.register,
        itemArgs,
        lines,
      };
    }
    case "bill void": {
      const { values, positionals } = usage(() => parseArgs({ args: rest, options: { ...common, reason: text }, allowPositionals: true, strict: true }), 1);
      return { kind: "bill-void", id: positionals[0]!, reason: values.reason, json: Boolean(values.json) };
    }
    case "settings show": {
      const { values } = usage(() => parseArgs({ args: rest, options: common, allowPositionals: true, strict: true }), 0);
      return { kind: "settings-show", json: Boolean(values.json) };
    }
    case "settings set": {
      const options = {
        ...common,
        name: text,
        address: text,
        phone: text,
        "tax-number": text,
        currency: text,
        footer: text,
        "prices-include-tax": text,
        "tax-rounding": text,
        "cash-rounding": text,
        "time-zone": text,
        "cashier-discount-limit": text,
        shifts: text,
      } as const;
      const { values: v } = usage(() => parseArgs({ args: rest, options, allowPositionals: true, strict: true }), 0);
      const yesNo = v["prices-include-tax"];
      if (yesNo !== undefined && yesNo !== "true" && yesNo !== "false") throw new UsageError("--prices-include-tax: expected true or false");
      if (v.shifts !== undefined && v.shifts !== "true" && v.shifts !== "false") throw new UsageError("--shifts: expected true or false");
      return {
        kind: "settings-set",
        json: Boolean(v.json),
        input: {
          name: v.name,
          address: v.address,
          phone: v.phone,
          taxRegistrationNumber: v["tax-number"],
          currency: v.currency,
          receiptFooter: v.footer,
          pricesIncludeTax: yesNo === undefined ? undefined : yesNo === "true",
          taxRounding: v["tax-rounding"],
          cashRounding: v["cash-rounding"],
          timeZone: v["time-zone"],
          cashierDiscountLimit: v["cashier-discount-limit"],
          shiftsEnabled: v.shifts === undefined ? undefined : v.shifts === "true",
        },
      };
    }
    case "token create": {
      const { values } = usage(() => parseArgs({ args: rest, options: { ...common, name: text, scopes: text, expires: text }, allowPositionals: true, strict: true }), 0);
      if (!values.name) throw new UsageError("--name is required");
      if (!values.scopes) throw new UsageError(`--scopes is required (comma-separated: ${TOKEN_SCOPES.join(",")})`);
      const scopes = values.scopes.split(",").map((s) => s.trim().toUpperCase()).filter(Boolean);
      return { kind: "token-create", name: values.name, scopes, expiresAt: values.expires, json: Boolean(values.json) };
    }
    case "token list":
    case "staff list": {
      const { values } = usage(() => parseArgs({ args: rest, options: common, allowPositionals: true, strict: true }), 0);
      return { kind: noun === "token" ? "token-list" : "staff-list", json: Boolean(values.json) };
    }
    case "token revoke": {
      const { values, positionals } = usage(() => parseArgs({ args: rest, options: common, allowPositionals: true, strict: true }), 1);
      return { kind: "token-revoke", id: positionals[0]!, json: Boolean(values.json) };
    }
    case "staff add": {
      const { values } = usage(() => parseArgs({ args: rest, options: { ...common, name: text, username: text, role: text, pin: text }, allowPositionals: true, strict: true }), 0);
      if (!values.name || !values.username || !values.role) throw new UsageError("--name, --username and --role are required");
      const role = values.role.toUpperCase();
      if (!ROLES.includes(role as never)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
      return { kind: "staff-add", json: Boolean(values.json), input: { displayName: values.name, username: values.username, role, pin: values.pin } };
    }
    case "items low-stock":
    case "items reorder":
      return usage(() => ({ ...parseReport(verb as ReportName, rest), positionals: [] }), 0);
    default: {
      if (noun === "report" && REPORT_NAMES.includes(verb as ReportName) && verb !== "low-stock" && verb !== "reorder") {
        return usage(() => ({ ...parseReport(verb as ReportName, rest), positionals: [] }), 0);
      }
      const parse = (args: string[], options: NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>["options"]>, count: number) =>
        usage(() => parseArgs({ args, options, allowPositionals: true, strict: true }), count) as { values: Record<string, any>; positionals: string[] };
      const cmd = parseImportCommand(what, rest, parse, (m) => {
        throw new UsageError(m);
      });
      if (cmd) return cmd;
      const shift = parseShiftCommand(what, rest, parse);
      if (shift) return shift;
      throw new UsageError(`unknown command "${what}"`);
    }
  }
}

export interface CommandIO extends Omit<ImportIO, "stdout" | "stderr"> {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  invoiceDir: string;
  /** Default folder of `backup` (STORELITE_BACKUP_DIR). */
  backupDir?: string;
  /** Relative paths given on the command line count from here. */
  cwd?: string;
  timeZone?: string;
  /** For commands that ask something (a new account's password). */
  prompt?: () => Prompter;
}

const OPTION_OF: Record<string, string> = {
  name: "--name",
  unitPrice: "--price",
  category: "--category",
  unit: "--unit",
  stockQty: "--stock",
  sku: "--sku",
  customerName: "--customer",
  displayName: "--name",
  username: "--username",
  role: "--role",
  pin: "--pin",
  scopes: "--scopes",
  expiresAt: "--expires",
  storeName: "--store",
  idempotencyKey: "--key",
  address: "--address",
  phone: "--phone",
  taxRegistrationNumber: "--tax-number",
  currency: "--currency",
  receiptFooter: "--footer",
  taxRounding: "--tax-rounding",
  cashRounding: "--cash-rounding",
  timeZone: "--time-zone",
  cashierDiscountLimit: "--cashier-discount-limit",
  ...REPORT_OPTIONS,
  ...SHIFT_OPTIONS,
};

/** Names a field error after the option the user typed. */
function fieldLabel(cmd: Command, path: FieldError["path"]): string {
  if (cmd.kind === "bill-create" && path[0] === "lines" && typeof path[1] === "number") {
    return `--item ${cmd.itemArgs[path[1]] ?? ""}${path[2] ? ` (${path[2] === "itemId" ? "item id" : path[2]})` : ""}`;
  }
  if ((cmd.kind === "items-show" || cmd.kind === "bill-show" || cmd.kind === "items-import-apply" || cmd.kind === "items-import-undo") && path[0] === "id") return "ID";
  if (cmd.kind === "items-import") return { mode: "--mode", emptyCells: "--empty", delimiter: "--delimiter", mapping: "--map" }[String(path[0])] ?? path.join(".");
  return OPTION_OF[String(path[0])] ?? path.join(".");
}

function errorJson(cmd: Command, err: DomainError) {
  return {
    error: {
      code: err.code,
      message: err.message,
      ...(err instanceof ValidationError ? { fieldErrors: err.fieldErrors.map((f) => ({ ...f, option: fieldLabel(cmd, f.path) })) } : {}),
      ...(err instanceof InsufficientStockError
        ? {
            shortages: err.shortages.map((s) => ({
              itemId: s.itemId,
              itemName: s.itemName,
              unit: s.unit,
              requested: formatQuantity(s.requested),
              available: formatQuantity(s.available),
            })),
          }
        : {}),
    },
  };
}

function describe(cmd: Command, err: DomainError): string {
  if (err instanceof ValidationError) return err.fieldErrors.map((f) => `${fieldLabel(cmd, f.path)}: ${f.message}`).join("\n");
  return err.message;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

const tokenJson = (t: Awaited<ReturnType<typeof listApiTokens>>[number]) => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  scopes: t.scopes,
  createdBy: t.createdBy,
  createdAt: t.createdAt.toISOString(),
  expiresAt: t.expiresAt?.toISOString() ?? null,
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

/** Runs one parsed command; returns the exit code. Unexpected errors are thrown. */
export async function runCommand(cmd: Command, ctx: ServiceContext, io: CommandIO): Promise<number> {
  try {
    return await execute(cmd, ctx, io);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    const asJson = "json" in cmd && cmd.json;
    io.stderr(asJson ? JSON.stringify(errorJson(cmd, err)) : `storelite: ${describe(cmd, err)}`);
    return EXIT.refused;
  }
}

async function execute(cmd: Command, ctx: ServiceContext, io: CommandIO): Promise<number> {
  switch (cmd.kind) {
    case "help":
      io.stdout(USAGE);
      return EXIT.ok;
    case "items-list": {
      const items = await allItems(ctx, { search: cmd.search, category: cmd.category, includeInactive: cmd.all });
      if (cmd.json) io.stdout(json(items.map(itemJson)));
      else io.stdout(items.length ? formatItemTable(items) : "No items match.");
      return EXIT.ok;
    }
    case "items-show": {
      const item = await getItem(ctx, cmd.id);
      io.stdout(cmd.json ? json(itemJson(item)) : formatItemDetails(item));
      return EXIT.ok;
    }
    case "items-add": {
      const item = await createItem(ctx, cmd.input);
      io.stdout(cmd.json ? json(itemJson(item)) : `Added item ${item.id}.\n${formatItemTable([item])}`);
      return EXIT.ok;
    }
    case "bill-create": {
      const { bill, replayed } = await createBill(ctx, {
        customerName: cmd.customerName,
        storeName: cmd.storeName,
        idempotencyKey: cmd.idempotencyKey,
        register: cmd.register,
        lines: cmd.lines,
      });
      let invoiceFile: string | null = null;
      try {
        invoiceFile = writeInvoice(io.invoiceDir, bill, io.timeZone).path;
      } catch (err) {
        io.stderr(`storelite: bill ${bill.id} is saved, but its invoice file could not be written: ${(err as Error).message}`);
      }
      if (cmd.json) io.stdout(json({ ...billJson(bill), replayed, invoiceFile }));
      else {
        io.stdout(formatInvoice(bill, { timeZone: io.timeZone }).trimEnd());
        if (replayed) io.stdout(`(bill ${bill.id} was already saved with this key; nothing was sold again)`);
        if (invoiceFile) io.stdout(`Invoice saved to ${invoiceFile}`);
      }
      return EXIT.ok;
    }
    case "report":
      io.stdout(await runReport(cmd, ctx));
      return EXIT.ok;
    case "shift-open":
    case "shift-status":
    case "shift-move":
    case "shift-close":
    case "z-show":
    case "z-list":
      await executeShiftCommand(cmd, ctx, io);
      return EXIT.ok;
    case "bill-show": {
      const bill = await getBill(ctx, cmd.id);
      io.stdout(cmd.json ? json(billJson(bill)) : formatInvoice(bill, { timeZone: io.timeZone }).trimEnd());
      return EXIT.ok;
    }
    case "bill-list": {
      const limit = cmd.limit === undefined ? 50 : /^\d+$/.test(cmd.limit) ? Number(cmd.limit) : cmd.limit; // a non-number: the domain names it
      const [page, timeZone] = await Promise.all([listBills(ctx, { from: cmd.from, to: cmd.to, period: cmd.period, first: limit }), shopTimeZone(ctx)]);
      if (cmd.json) io.stdout(json(page.nodes.map(billSummaryJson)));
      else if (!page.nodes.length) io.stdout("No bills.");
      else {
        const cols = [{ header: "Bill", align: "right" as const }, { header: "Date" }, { header: "Customer", maxWidth: 24 }, { header: "Cashier", maxWidth: 20 }, { header: "Total", align: "right" as const }];
        io.stdout(formatTable(cols, page.nodes.map((b) => [String(b.id), formatDateTime(b.createdAt, timeZone), b.customerName ?? "-", b.cashierName ?? "-", formatMoney(b.totalAmount)])));
        if (page.hasNextPage) io.stdout(`(more bills: narrow the dates or raise --limit)`);
      }
      return EXIT.ok;
    }
    case "bill-void": {
      const bill = await voidBill(ctx, { billId: cmd.id, reason: cmd.reason });
      let invoiceFile: string | null = null;
      try {
        invoiceFile = writeInvoice(io.invoiceDir, bill, io.timeZone).path;
      } catch (err) {
        io.stderr(`storelite: bill ${bill.id} is voided, but its invoice file could not be written: ${(err as Error).message}`);
      }
      if (cmd.json) io.stdout(json({ ...billJson(bill), invoiceFile }));
      else {
        io.stdout(formatInvoice(bill, { timeZone: io.timeZone }).trimEnd());
        if (invoiceFile) io.stdout(`Invoice saved to ${invoiceFile}`);
      }
      return EXIT.ok;
    }
    case "settings-show":
    case "settings-set": {
      const settings = cmd.kind === "settings-show" ? await getShopSettings(ctx) : await updateShopSettings(ctx, cmd.input);
      io.stdout(cmd.json ? json(settingsJson(settings)) : formatSettings(settings));
      return EXIT.ok;
    }
    case "token-create": {
      const { token, secret } = await createApiToken(ctx, { name: cmd.name, scopes: cmd.scopes, expiresAt: cmd.expiresAt });
      if (cmd.json) io.stdout(json({ ...tokenJson(token), secret }));
      else {
        io.stdout(`Created API token ${token.id} "${token.name}" (${token.scopes.join(", ")}${token.expiresAt ? `, expires ${token.expiresAt.toISOString()}` : ""}).`);
        io.stdout(`Token (shown only now; send it as "Authorization: Bearer <token>"):\n${secret}`);
      }
      return EXIT.ok;
    }
    case "token-list": {
      const tokens = await listApiTokens(ctx);
      if (cmd.json) io.stdout(json(tokens.map(tokenJson)));
      else if (!tokens.length) io.stdout("No API tokens.");
      else {
        for (const t of tokens) {
          const state = t.revokedAt ? "revoked" : t.expiresAt && t.expiresAt <= new Date() ? "expired" : "active";
          io.stdout(`${String(t.id).padStart(3)}  ${t.prefix}…  ${state.padEnd(7)}  ${t.name}  [${t.scopes.join(",")}]  last used ${t.lastUsedAt?.toISOString() ?? "never"}`);
        }
      }
      return EXIT.ok;
    }
    case "token-revoke": {
      const token = await revokeApiToken(ctx, cmd.id);
      io.stdout(cmd.json ? json(tokenJson(token)) : `Revoked API token ${token.id} "${token.name}"; it stops working at once.`);
      return EXIT.ok;
    }
    case "staff-list": {
      const staff = await listStaff(ctx);
      if (cmd.json) io.stdout(json(staff));
      else for (const s of staff) io.stdout(`${String(s.id).padStart(3)}  ${s.username.padEnd(16)}  ${s.role.padEnd(7)}  ${s.isActive ? "active  " : "disabled"}  ${s.hasPin ? "PIN" : "   "}  ${s.displayName}`);
      return EXIT.ok;
    }
    case "password":
      return changePasswordCommand(cmd, ctx, io);
    case "staff-add": {
      if (!io.prompt) throw ValidationError.one(["password"], "cannot be asked for here", "NO_PROMPT");
      const password = await io.prompt().askSecret(`Password for ${cmd.input.username} (at least 8 characters): `);
      const staff = await createStaff(ctx, { ...cmd.input, password });
      io.stdout(cmd.json ? json(staff) : `Added ${staff.role.toLowerCase()} ${staff.displayName} (username ${staff.username}${staff.hasPin ? ", with a PIN" : ""}).`);
      return EXIT.ok;
    }
    case "backup": {
      const dir = cmd.to ? path.resolve(io.cwd ?? process.cwd(), cmd.to) : (io.backupDir ?? defaultBackupDir);
      const { file, bytes, manifest } = await backupNow(ctx, dir);
      if (cmd.json) io.stdout(json({ file, bytes, manifest }));
      else io.stdout(`Backup written: ${file}
${describeManifest(manifest)}, ${formatBytes(bytes)} compressed, in ${(manifest.durationMs / 1000).toFixed(1)} s.`);
      return EXIT.ok;
    }
    case "backup-verify":
      return verifyCommand(cmd, ctx, io);
    case "restore": {
      const file = path.resolve(io.cwd ?? process.cwd(), cmd.file);
      const result = await restoreFromBackup(ctx, file, { force: cmd.force, log: cmd.json ? undefined : io.stdout });
      if (cmd.json) io.stdout(json(result));
      else {
        if (result.replaced.length) io.stdout(`Replaced: ${result.replaced.map((t) => `${t.table} (${t.rows} rows)`).join(", ")}.`);
        io.stdout(`Restored ${result.rows} rows from ${file} in ${(result.durationMs / 1000).toFixed(1)} s; the books check out.`);
      }
      return EXIT.ok;
    }
    default:
      return executeImportCommand(cmd, ctx, io);
  }
}

const formatBytes = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(1)} kB`);

function describeManifest(m: Manifest): string {
  const level = m.migrations.at(-1)?.name ?? "no migrations";
  return `${m.tables.length} tables, ${m.totalRows} rows (${formatBytes(m.dataBytes)} of data), schema at ${level}, StoreLite ${m.storeliteVersion}`;
}

/** `backup verify` needs no database, so the console runs it without opening one. */
export async function verifyCommand(
  cmd: Extract<Command, { kind: "backup-verify" }>,
  ctx: Pick<ServiceContext, "actor">,
  io: CommandIO,
): Promise<number> {
  const file = path.resolve(io.cwd ?? process.cwd(), cmd.file);
  try {
    const manifest = await checkBackupFile(ctx, file);
    if (cmd.json) io.stdout(json({ ok: true, file, manifest }));
    else {
      io.stdout(`${file}: a complete StoreLite backup made ${manifest.createdAt}; every checksum matches.
${describeManifest(manifest)}.`);
      for (const t of manifest.tables) io.stdout(`  ${t.name.padEnd(28)} ${String(t.rows).padStart(10)} rows`);
    }
    return EXIT.ok;
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    io.stderr(cmd.json ? JSON.stringify({ ok: false, error: { code: err.code, message: err.message } }) : `storelite: ${err.message}`);
    return EXIT.refused;
  }
}

function settingsJson(s: ShopSettings) {
  return { ...s, cashierDiscountLimit: s.cashierDiscountLimit.toString(), updatedAt: s.updatedAt.toISOString() };
}

/** `storelite password`: the signed-in person's own password or PIN, asked twice, proven with the current password. */
async function changePasswordCommand(cmd: Extract<Command, { kind: "password" }>, ctx: ServiceContext, io: CommandIO): Promise<number> {
  authorize(ctx, "CHANGE_OWN_PASSWORD"); // before asking for any secret it would refuse
  if (!io.prompt) throw ValidationError.one(["currentPassword"], "cannot be asked for here", "NO_PROMPT");
  const ask = io.prompt();
  const currentPassword = await ask.askSecret("Current password: ");
  const twice = async (what: string, field: string) => {
    const first = await ask.askSecret(`New ${what}: `);
    if ((await ask.askSecret(`New ${what} again: `)) !== first) throw ValidationError.one([field], "the two entries differ", "MISMATCH");
    return first;
  };
  const input =
    cmd.change === "password"
      ? { currentPassword, newPassword: await twice("password (at least 8 characters)", "newPassword") }
      : { currentPassword, newPin: cmd.change === "pin" ? await twice("PIN (4 to 6 digits)", "newPin") : null };
  const staff = await changeOwnCredentials(ctx, input, { clientAddress: CONSOLE_ADDRESS });
  const done = cmd.change === "password" ? "Password changed; your web sessions elsewhere are signed out." : staff.hasPin ? "PIN set." : "PIN removed.";
  io.stdout(cmd.json ? json({ username: staff.username, hasPin: staff.hasPin }) : done);
  return EXIT.ok;
}
