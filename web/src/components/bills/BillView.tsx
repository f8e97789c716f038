"use client";
// /bills/<id>: one invoice, for reprint; its returns (each with its slip),
// and — for whoever may — "Return items" and "Void bill".
import Link from "next/link";
import { useEffect, useState } from "react";
import { useBillQuery, type Permission, type ReturnFieldsFragment } from "../../gql/graphql.ts";
import { compareDecimal } from "../../lib/decimal.ts";
import { Invoice, PrintControls, usePaper } from "./Invoice.tsx";
import { ReturnPanel } from "./ReturnPanel.tsx";
import { ReturnSlip } from "./ReturnSlip.tsx";
import { VoidPanel } from "./VoidPanel.tsx";

export function BillView({ id, permissions = [] }: { id: number; permissions?: readonly Permission[] }) {
  const [paper, setPaper] = usePaper();
  const [{ data, fetching, error }, refetch] = useBillQuery({ variables: { id }, pause: !Number.isInteger(id) });
  const [open, setOpen] = useState<"return" | "void" | null>(null);
  const [made, setMade] = useState<ReturnFieldsFragment | null>(null);
  // The return whose slip is being printed alone; null prints the invoice (with its returns).
  const [slipToPrint, setSlipToPrint] = useState<number | null>(null);
  useEffect(() => {
    if (slipToPrint === null) return;
    const done = () => setSlipToPrint(null);
    window.addEventListener("afterprint", done, { once: true });
    window.print();
    return () => window.removeEventListener("afterprint", done);
  }, [slipToPrint]);
  if (error) return <p className="status error" role="alert">{error.message}</p>;
  if (!data && fetching) return <p className="loading" role="status">Loading…</p>;
  if (!data?.bill) return <p className="status error" role="alert">There is no bill #{String(id)}. <Link href="/bills">All bills</Link></p>;
  const bill = data.bill;
  const has = (...p: Permission[]) => p.some((x) => permissions.includes(x));
  // A cashier may start either; the server asks for a manager's PIN (and decides what is allowed).
  const canReturn = !bill.voidedAt && has("REFUND", "SELL") && bill.lines.some((l) => compareDecimal(l.quantity, l.returnedQty) > 0);
  const canVoid = !bill.voidedAt && bill.returns.length === 0 && has("VOID_BILL", "SELL");
  const reload = () => refetch({ requestPolicy: "network-only" });

  return (
    <div className={`bill-view${slipToPrint === null ? "" : " printing-slip"}`}>
      <PrintControls paper={paper} setPaper={setPaper} onPrint={() => { setSlipToPrint(null); window.print(); }}>
        <Link href="/bills" className="button-link">All bills</Link>
        {canReturn ? <button type="button" data-testid="return-items" onClick={() => { setOpen("return"); setMade(null); }}>Return items</button> : null}
        {canVoid ? <button type="button" className="danger" data-testid="void-bill" onClick={() => setOpen("void")}>Void bill</button> : null}
      </PrintControls>
      {open === "return" ? (
        <ReturnPanel
          bill={bill}
          onCancel={() => setOpen(null)}
          onDone={(slip) => {
            setMade(slip);
            setOpen(null);
            reload();
          }}
        />
      ) : null}
      {open === "void" ? (
        <VoidPanel
          bill={bill}
          needsApproval={!has("VOID_BILL")}
          onCancel={() => setOpen(null)}
          onDone={() => {
            setOpen(null);
            reload();
          }}
        />
      ) : null}
      {made ? (
        <section className="panel no-print" aria-label="Return made">
          <p className="status ok" role="status" data-testid="return-made">Return #{made.id} made: {made.refundTotal} refunded.</p>
          <button type="button" className="primary" data-testid="print-made-slip" disabled={!bill.returns.some((r) => r.id === made.id)} onClick={() => setSlipToPrint(made.id)}>Print the return slip</button>
        </section>
      ) : null}
      <Invoice bill={bill} paper={paper} />
      {bill.returns.length ? (
        <section className="bill-returns" aria-label="Returns">
          <h2>Returns</h2>
          {bill.returns.map((r) => (
            <ReturnSlip key={r.id} slip={r} bill={bill} paper={paper} printing={slipToPrint === r.id} onPrint={() => setSlipToPrint(r.id)} />
          ))}
        </section>
      ) : null}
    </div>
  );
}
