"use client";
// "Void bill" on /bills/<n>: a reason (and a manager's PIN for someone
// without VOID_BILL). The server decides whether the bill may be voided
// (today's / the open shift's, no returns) and says why not.
import { useState } from "react";
import { useVoidBillMutation, type BillQuery } from "../../gql/graphql.ts";
import { Field } from "../Field.tsx";
import { ManagerApproval, type Approval } from "./ManagerApproval.tsx";

type Bill = NonNullable<BillQuery["bill"]>;

export function VoidPanel({ bill, needsApproval, onDone, onCancel }: { bill: Bill; needsApproval: boolean; onDone: () => void; onCancel: () => void }) {
  const [, voidBill] = useVoidBillMutation();
  const [reason, setReason] = useState("");
  const [approval, setApproval] = useState<Approval>({ username: "", pin: "" });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const confirm = async () => {
    if (!reason.trim()) return setError("Say why the bill is voided.");
    setBusy(true);
    setError(null);
    const r = await voidBill({ input: { billId: bill.id, reason, ...(needsApproval && approval.username.trim() ? { approval } : {}) } });
    setBusy(false);
    const answer = r.data?.voidBill;
    if (answer?.__typename === "VoidBillSuccess") onDone();
    else setError(answer && "message" in answer ? (answer.message ?? "Refused") : (r.error?.message ?? "The void failed"));
  };

  return (
    <section className="panel void-panel no-print" aria-labelledby="void-title">
      <h2 id="void-title">Void bill #{bill.id}</h2>
      <p className="muted">Its goods go back to stock and its payments are handed back. The bill keeps its number and prints as VOID.</p>
      <Field label="Reason">
        <input data-testid="void-reason" value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} />
      </Field>
      {needsApproval ? <ManagerApproval what="Voiding a bill" value={approval} onChange={setApproval} /> : null}
      {error ? <p className="status error" role="alert" data-testid="void-error">{error}</p> : null}
      <div className="row">
        <button type="button" className="danger" data-testid="confirm-void" disabled={busy} onClick={confirm}>Void bill</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </section>
  );
}
