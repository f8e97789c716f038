"use client";
// /bills/<id>: one invoice, for reprint; its returns (each with its slip),
// and — for whoever may — "Return items" and "Void bill".
import Link from "next/link";
import { useState } from "react";
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
    <div className="bill-view">
      <PrintControls paper={paper} setPaper={setPaper}>
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
        <section className="panel" aria-label="Return made">
          <p className="status ok" role="status" data-testid="return-made">Return #{made.id} made: {made.refundTotal} refunded.</p>
          <ReturnSlip slip={made} currency={bill.shop?.currency} />
        </section>
      ) : null}
      <Invoice bill={bill} paper={paper} />
      {bill.returns.length ? (
        <section className="bill-returns" aria-label="Returns">
          <h2>Returns</h2>
          {bill.returns.map((r) => <ReturnSlip key={r.id} slip={r} currency={bill.shop?.currency} />)}
        </section>
      ) : null}
    </div>
  );
}
