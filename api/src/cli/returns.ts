// "Returns and Voids": goods back against a bill (bill number → lines →
// quantities → the server's refund preview → confirm → the return slip,
// printed and saved as .txt beside the invoices), and voiding a bill of
// today / the open shift (printed again as VOID). A cashier's return or void
// asks a manager for their username and PIN on the spot. Nothing is written
// before the confirmation, and each is one domain call (one transaction).
import crypto from "node:crypto";
import { can } from "../domain/access.ts";
import { DomainError, ValidationError } from "../domain/errors.ts";
import { QUANTITY, formatMoney, formatQuantity, parseDecimal } from "../domain/money.ts";
import { REASON, createReturn, refundPreview, returnableBill, type CreateReturnInput, type ReturnableBill } from "../domain/returns.ts";
import { parseId, parseText } from "../domain/text.ts";
import { voidBill } from "../domain/voids.ts";
import { formatInvoice, formatRefundPreview, formatReturnSlip, formatTable } from "./format.ts";
import { writeInvoice, writeReturnSlip } from "./invoices.ts";
import { askMenu, askValid, askYesNo, explain } from "./prompt.ts";
import type { Session } from "./session.ts";

export async function returnsMenu(s: Session): Promise<void> {
  for (;;) {
    const choice = await askMenu(s.io, s.out, "Returns and Voids", ["Return items from a bill", "Void a bill", "Back"]);
    if (choice === 1) await returnFlow(s);
    else if (choice === 2) await voidFlow(s);
    else return;
  }
}

const askReason = (s: Session, question: string) => askValid(s.io, s.out, question, "Reason", (t) => parseText(t, ["reason"], REASON)!);

/** A manager's username and PIN, typed on this console (the PIN is not echoed). */
async function askManager(s: Session, what: string): Promise<{ username: string; pin: string }> {
  s.out(`${what} needs a manager's approval.`);
  const username = (await s.io.ask("Manager's username: ")).trim();
  const pin = await s.io.askSecret("Manager's PIN: ");
  return { username, pin };
}

async function askBill(s: Session): Promise<ReturnableBill | undefined> {
  for (;;) {
    const id = await askValid(s.io, s.out, "Bill number (Enter to go back): ", "Bill number", (t) => (t === "" ? undefined : parseId(t, ["billId"])));
    if (id === undefined) return undefined;
    try {
      return await returnableBill(s.ctx, id);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      s.out(`  ${err.message}. Please try again.`);
    }
  }
}

function billLinesTable(bill: ReturnableBill): string {
  return formatTable(
    [
      { header: "#", align: "right" },
      { header: "Item", maxWidth: 40 },
      { header: "Unit", maxWidth: 10 },
      { header: "Sold", align: "right" },
      { header: "Returned", align: "right" },
      { header: "Left", align: "right" },
      { header: "Charged", align: "right" },
    ],
    bill.lines.map((l, i) => [String(i + 1), l.itemName, l.unit, formatQuantity(l.sold), formatQuantity(l.returned), formatQuantity(l.left), formatMoney(l.chargedTotal)]),
  );
}

export async function returnFlow(s: Session): Promise<void> {
  s.out("");
  s.out("Return items. Nothing is saved until you confirm; Ctrl-C cancels.");
  const bill = await askBill(s);
  if (!bill) return;
  if (bill.voidedAt) {
    s.out(`Bill ${bill.id} was voided: nothing on it can be returned.`);
    return;
  }
  s.out(`Bill ${bill.id}${bill.customerName ? ` for ${bill.customerName}` : ""}: total ${formatMoney(bill.totalAmount)}, refunded so far ${formatMoney(bill.refundedTotal)}`);
  s.out(billLinesTable(bill));

  const lines: { billItemId: number; quantity: string; restock: boolean }[] = [];
  for (;;) {
    const open = bill.lines.filter((l) => l.left.greaterThan(0) && !lines.some((x) => x.billItemId === l.billItemId));
    if (!open.length) break;
    const n = await askValid(s.io, s.out, "Line number to return (Enter when done): ", "Line number", (t) => {
      if (t === "") return undefined;
      const i = parseId(t, ["line"]);
      if (i > bill.lines.length) throw ValidationError.one(["line"], `must be between 1 and ${bill.lines.length}`, "OUT_OF_RANGE");
      return i;
    });
    if (n === undefined) break;
    const line = bill.lines[n - 1]!;
    if (!open.includes(line)) {
      s.out(line.left.isZero() ? `  Nothing of ${line.itemName} is left to return.` : `  ${line.itemName} is already on this return.`);
      continue;
    }
    const quantity = await askValid(s.io, s.out, `Quantity of ${line.itemName} in ${line.unit} (up to ${formatQuantity(line.left)}): `, "Quantity", (t) => {
      const q = parseDecimal(t === "" ? undefined : t, ["quantity"], QUANTITY);
      if (q.greaterThan(line.left)) throw ValidationError.one(["quantity"], `must be at most ${formatQuantity(line.left)} (what is left of the line)`, "TOO_LARGE");
      return q;
    });
    const restock = await askYesNo(s.io, s.out, "Back to stock? (n: damaged, recorded only)");
    lines.push({ billItemId: line.billItemId, quantity: quantity.toFixed(3), restock });
  }
  if (!lines.length) {
    s.out("Nothing to return; nothing was saved.");
    return;
  }
  const reason = await askReason(s, "Reason for the return: ");
  const input: CreateReturnInput = { billId: bill.id, lines, reason };
  let preview;
  try {
    preview = await refundPreview(s.ctx, input);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    s.out(`Not saved: ${err.message}`);
    return;
  }
  s.out("");
  s.out("Refund preview");
  s.out(formatRefundPreview(preview));
  if (!(await askYesNo(s.io, s.out, "Confirm the return?"))) {
    s.out("Return discarded; nothing was saved.");
    return;
  }
  const approval = preview.approvalRequired ? await askManager(s, "A return") : undefined;
  try {
    // One key per confirmed return: a retry can never refund twice.
    const { billReturn } = await createReturn(s.ctx, { ...input, approval, idempotencyKey: `console-return-${crypto.randomUUID()}` });
    s.out("");
    s.out(`Saved return ${billReturn.id}.`);
    s.out(formatReturnSlip(billReturn, { timeZone: s.timeZone }).trimEnd());
    try {
      s.out(`Return slip saved to ${writeReturnSlip(s.invoiceDir, billReturn, s.timeZone).path}`);
    } catch (err) {
      s.out(`The return is saved, but its slip could not be written: ${err instanceof Error ? err.message : String(err)}`);
    }
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    s.out(`Not saved: ${err instanceof ValidationError ? explain("", err).trim() : err.message}`);
  }
}

export async function voidFlow(s: Session): Promise<void> {
  s.out("");
  s.out("Void a bill: only a bill of today (or of the open shift) without returns. Nothing is saved until you confirm.");
  const bill = await askBill(s);
  if (!bill) return;
  s.out(`Bill ${bill.id}${bill.customerName ? ` for ${bill.customerName}` : ""}: total ${formatMoney(bill.totalAmount)}`);
  s.out(billLinesTable(bill));
  const reason = await askReason(s, "Reason for the void: ");
  if (!(await askYesNo(s.io, s.out, `Void bill ${bill.id}? Its goods go back to stock and its payments are handed back`))) {
    s.out("Not voided; nothing was saved.");
    return;
  }
  const approval = can(s.ctx.actor, "VOID_BILL") ? undefined : await askManager(s, "Voiding a bill");
  try {
    const voided = await voidBill(s.ctx, { billId: bill.id, reason, approval });
    s.out("");
    s.out(`Voided bill ${voided.id}.`);
    s.out(formatInvoice(voided, { timeZone: s.timeZone }).trimEnd());
    try {
      s.out(`Invoice saved to ${writeInvoice(s.invoiceDir, voided, s.timeZone).path}`);
    } catch (err) {
      s.out(`The bill is voided, but its invoice file could not be written: ${err instanceof Error ? err.message : String(err)}`);
    }
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    s.out(`Not voided: ${err.message}`);
  }
}
