// `storelite shift ...` and `storelite z ...`: the console's door onto
// domain/shifts.ts — open and close a shift, pay cash in and out, print the X
// report and a Z report as receipt text (a pure function of the figures).
import crypto from "node:crypto";
import type { ServiceContext } from "../domain/context.ts";
import { DomainError, ValidationError } from "../domain/errors.ts";
import { closeShift, currentShift, listZReports, openShift, recordCashMovement, zReport, type ShiftFigures } from "../domain/shifts.ts";
import { formatDateTime, wrap } from "./format.ts";
import { askMenu } from "./prompt.ts";
import type { Session } from "./session.ts";

export const SHIFT_USAGE = `  storelite shift open --register NAME --float AMOUNT [--key KEY] [--json]
  storelite shift status [--register NAME] [--json]      the X report (nothing is closed)
  storelite shift pay-in|pay-out --amount AMOUNT --reason TEXT [--register NAME]
                      [--key KEY] [--json]
  storelite shift close --shift ID --counted AMOUNT [--note TEXT] [--key KEY] [--json]
                                          count the drawer, close, print the Z report
  storelite z show NUMBER [--json]         print a Z report (recomputed and checked)
  storelite z list [--json]`;

export type ShiftCommand =
  | { kind: "shift-open"; json: boolean; register?: string; openingFloat?: string; idempotencyKey?: string }
  | { kind: "shift-status"; json: boolean; register?: string }
  | { kind: "shift-move"; json: boolean; movement: "PAID_IN" | "PAID_OUT"; amount?: string; reason?: string; register?: string; idempotencyKey?: string }
  | { kind: "shift-close"; json: boolean; shiftId?: string; countedCash?: string; note?: string; idempotencyKey?: string }
  | { kind: "z-show"; json: boolean; number: string }
  | { kind: "z-list"; json: boolean };

/** The option each input field is typed as, for error messages. */
export const SHIFT_OPTIONS: Record<string, string> = {
  register: "--register",
  openingFloat: "--float",
  amount: "--amount",
  reason: "--reason",
  shiftId: "--shift",
  countedCash: "--counted",
  note: "--note",
  idempotencyKey: "--key",
  number: "NUMBER",
};

type Parse = (args: string[], options: Record<string, { type: "string" | "boolean" }>, positionals: number) => { values: Record<string, any>; positionals: string[] };

const common = { json: { type: "boolean" }, verbose: { type: "boolean" } } as const;
const text = { type: "string" } as const;

export function parseShiftCommand(what: string, rest: string[], parse: Parse): ShiftCommand | undefined {
  switch (what) {
    case "shift open": {
      const { values: v } = parse(rest, { ...common, register: text, float: text, key: text }, 0);
      return { kind: "shift-open", json: Boolean(v.json), register: v.register, openingFloat: v.float, idempotencyKey: v.key };
    }
    case "shift status": {
      const { values: v } = parse(rest, { ...common, register: text }, 0);
      return { kind: "shift-status", json: Boolean(v.json), register: v.register };
    }
    case "shift pay-in":
    case "shift pay-out": {
      const { values: v } = parse(rest, { ...common, amount: text, reason: text, register: text, key: text }, 0);
      return { kind: "shift-move", json: Boolean(v.json), movement: what.endsWith("in") ? "PAID_IN" : "PAID_OUT", amount: v.amount, reason: v.reason, register: v.register, idempotencyKey: v.key };
    }
    case "shift close": {
      const { values: v } = parse(rest, { ...common, shift: text, counted: text, note: text, key: text }, 0);
      return { kind: "shift-close", json: Boolean(v.json), shiftId: v.shift, countedCash: v.counted, note: v.note, idempotencyKey: v.key };
    }
    case "z show": {
      const { values: v, positionals } = parse(rest, common, 1);
      return { kind: "z-show", json: Boolean(v.json), number: positionals[0]! };
    }
    case "z list": {
      const { values: v } = parse(rest, common, 0);
      return { kind: "z-list", json: Boolean(v.json) };
    }
    default:
      return undefined;
  }
}

export interface ShiftIO {
  stdout: (text: string) => void;
  timeZone?: string;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

export async function executeShiftCommand(cmd: ShiftCommand, ctx: ServiceContext, io: ShiftIO): Promise<void> {
  switch (cmd.kind) {
    case "shift-open": {
      const { value, replayed } = await openShift(ctx, cmd);
      io.stdout(cmd.json ? json({ ...value, replayed }) : `${replayed ? "Already open" : "Opened"}: shift ${value.id} on ${value.register}, float ${value.openingFloat.toFixed(2)}.`);
      return;
    }
    case "shift-status": {
      const c = await currentShift(ctx, { register: cmd.register });
      if (cmd.json) io.stdout(json(c));
      else if (!c.shiftsEnabled) io.stdout('Shifts are off for this shop ("storelite settings set --shifts true" turns them on).');
      else if (!c.report) io.stdout(`No shift is open${cmd.register ? ` on ${cmd.register}` : ""}.`);
      else io.stdout(formatShiftReport(c.report.figures, { title: `X REPORT - shift ${c.report.shift.id}`, timeZone: io.timeZone }).trimEnd());
      return;
    }
    case "shift-move": {
      const { value, replayed } = await recordCashMovement(ctx, { kind: cmd.movement, amount: cmd.amount, reason: cmd.reason, register: cmd.register, idempotencyKey: cmd.idempotencyKey });
      io.stdout(cmd.json ? json({ ...value, replayed }) : `${value.kind === "PAID_IN" ? "Paid in" : "Paid out"} ${value.amount.toFixed(2)} (${value.reason}) in shift ${value.shiftId}.`);
      return;
    }
    case "shift-close": {
      const { value, replayed } = await closeShift(ctx, cmd);
      if (cmd.json) io.stdout(json({ ...value, replayed }));
      else {
        io.stdout(formatShiftReport(value.zReport.figures, { title: `Z REPORT No. ${value.zReport.number}`, timeZone: io.timeZone }).trimEnd());
        if (replayed) io.stdout(`(shift ${value.shift.id} was already closed with this key; nothing changed)`);
      }
      return;
    }
    case "z-show": {
      const z = await zReport(ctx, cmd.number);
      if (cmd.json) io.stdout(json(z));
      else {
        io.stdout(formatShiftReport(z.figures, { title: `Z REPORT No. ${z.number}`, timeZone: io.timeZone }).trimEnd());
        io.stdout(z.differences.length ? `WARNING: the stored documents no longer add up to this report: ${z.differences.join(", ")}` : "Checked: the stored documents still add up to this report.");
      }
      return;
    }
    case "z-list": {
      const page = await listZReports(ctx, { first: 200 });
      if (cmd.json) io.stdout(json(page.nodes));
      else if (!page.nodes.length) io.stdout("No Z reports yet.");
      else for (const z of page.nodes) io.stdout(`Z ${z.number}  ${formatDateTime(z.closedAt, io.timeZone)}  ${z.register}  total ${z.total.toFixed(2)}  variance ${z.variance.toFixed(2)}`);
      return;
    }
  }
}

/** The X or Z report as receipt text, `width` characters wide (a 80 mm printer takes 42–48). */
export function formatShiftReport(f: ShiftFigures, options: { title: string; width?: number; timeZone?: string }): string {
  const width = Math.max(options.width ?? 44, 28);
  const heavy = "=".repeat(width);
  const light = "-".repeat(width);
  const center = (s: string) => " ".repeat(Math.max(Math.floor((width - s.length) / 2), 0)) + s;
  const both = (left: string, right: string) => `${left}${right.padStart(Math.max(width - left.length, right.length + 1))}`;
  const when = (iso: string | null) => (iso ? formatDateTime(new Date(iso), options.timeZone) : "-");
  const out = [heavy, center(options.title), heavy];
  out.push(...wrap(`Register: ${f.register}`, width), `Opened:   ${when(f.openedAt)}${f.openedBy ? ` (${f.openedBy})` : ""}`);
  if (f.closedAt) out.push(`Closed:   ${when(f.closedAt)}${f.closedBy ? ` (${f.closedBy})` : ""}`);
  out.push(light, both(`Bills (${f.bills.count})`, ""), both("  Gross", f.bills.gross), both("  Discounts", `-${f.bills.discounts}`), both("  Tax", f.bills.tax), both("  Total", f.bills.total));
  out.push(both(`Returns (${f.returns.count})`, `-${f.returns.refunded}`), both(`Voids (${f.voids.count})`, f.voids.total), both("NET (without tax)", f.net));
  if (f.taxByRate.length) {
    out.push(light, "Tax by rate");
    for (const r of f.taxByRate) out.push(both(`  ${r.name} ${r.percent}%`, r.net));
  }
  if (f.payments.length) {
    out.push(light, "Payments (taken - refunded)");
    for (const p of f.payments) out.push(both(`  ${p.method}`, `${p.sales} - ${p.refunds}`));
  }
  const c = f.cash;
  out.push(light, "Cash drawer", both("  Opening float", c.openingFloat), both("  Cash sales", `+${c.sales}`), both("  Cash refunds", `-${c.refunds}`));
  out.push(both("  Paid in", `+${c.paidIn}`), both("  Paid out", `-${c.paidOut}`), both("  EXPECTED", c.expected));
  if (c.counted !== null) out.push(both("  COUNTED", c.counted), both("  VARIANCE", c.variance!));
  const overrides = f.people.filter((p) => p.discountApprovals || p.returnApprovals || p.voids);
  out.push(light, "Sales by person");
  for (const p of f.people.filter((p) => p.bills)) out.push(both(`  ${p.name} (${p.bills})`, p.sales));
  if (overrides.length) {
    out.push("Approvals and voids");
    for (const p of overrides) {
      out.push(`  ${p.name}`);
      if (p.discountApprovals) out.push(both(`    discounts approved (${p.discountApprovals})`, p.discountsApproved));
      if (p.returnApprovals) out.push(both(`    returns approved (${p.returnApprovals})`, p.refundsApproved));
      if (p.voids) out.push(both(`    bills voided (${p.voids})`, p.voided));
    }
  }
  out.push(heavy);
  return `${out.join("\n")}\n`;
}

/** The interactive "Shift and cash drawer" menu: the same commands, asked for one answer at a time. */
export async function shiftMenu(s: Session): Promise<void> {
  const ask = (question: string) => s.io.ask(question).then((t) => t.trim());
  const run = (cmd: ShiftCommand) => executeShiftCommand(cmd, s.ctx, { stdout: s.out, timeZone: s.timeZone });
  for (;;) {
    const choice = await askMenu(s.io, s.out, "Shift and cash drawer", ["X report (shift status)", "Open a shift", "Paid in", "Paid out", "Close the shift (count the drawer)", "Show a Z report", "Back"]);
    if (choice === 7) return;
    try {
      if (choice === 1) await run({ kind: "shift-status", json: false, register: (await ask("Register (Enter: the only open one): ")) || undefined });
      else if (choice === 2) await run({ kind: "shift-open", json: false, register: await ask("Register: "), openingFloat: await ask("Opening float: "), idempotencyKey: newKey() });
      else if (choice === 3 || choice === 4) {
        const amount = await ask("Amount: ");
        const reason = await ask("Reason: ");
        const register = (await ask("Register (Enter: the only open one): ")) || undefined;
        await run({ kind: "shift-move", json: false, movement: choice === 3 ? "PAID_IN" : "PAID_OUT", amount, reason, register, idempotencyKey: newKey() });
      } else if (choice === 5) {
        const current = await currentShift(s.ctx, { register: (await ask("Register (Enter: the only open one): ")) || undefined });
        if (!current.report) {
          s.out(current.shiftsEnabled ? "No shift is open." : "Shifts are off for this shop.");
          continue;
        }
        s.out(`Shift ${current.report.shift.id} on ${current.report.shift.register}: count the cash in the drawer.`);
        const countedCash = await ask("Counted cash: ");
        const note = (await ask("Note (Enter for none): ")) || undefined;
        await run({ kind: "shift-close", json: false, shiftId: String(current.report.shift.id), countedCash, note, idempotencyKey: newKey() });
      } else await run({ kind: "z-show", json: false, number: await ask("Z number: ") });
    } catch (err) {
      // A refusal ends this action, not the program; nothing was changed.
      if (!(err instanceof DomainError)) throw err;
      s.out(`  Not done: ${err instanceof ValidationError ? err.fieldErrors.map((f) => `${SHIFT_OPTIONS[String(f.path[0])]?.replace(/^--/, "") ?? f.path.join(".")} ${f.message}`).join("; ") : err.message}`);
    }
  }
}

const newKey = () => `console-${crypto.randomUUID()}`;
