"use client";
// "Return items" on /bills/<n>: pick lines and quantities (each at most what
// is left), back to stock or damaged, a reason; the refund shown is the
// server's preview (refundPreview), never worked out here; confirm makes the
// return (with a manager's PIN when the person lacks REFUND).
import { useState } from "react";
import { useClient } from "urql";
import { RefundPreviewDocument, useCreateReturnMutation, type BillQuery, type RefundPreviewQuery, type ReturnFieldsFragment } from "../../gql/graphql.ts";
import { compareDecimal, displayQuantity, parseSaleQuantity, subtractQuantity } from "../../lib/decimal.ts";
import { Field } from "../Field.tsx";
import { ManagerApproval, type Approval } from "./ManagerApproval.tsx";
import { METHOD } from "./Invoice.tsx";

type Bill = NonNullable<BillQuery["bill"]>;
type Preview = Extract<RefundPreviewQuery["refundPreview"], { __typename: "RefundPreviewSuccess" }>["preview"];
interface Pick {
  quantity: string;
  restock: boolean;
}

export function ReturnPanel({ bill, onDone, onCancel }: { bill: Bill; onDone: (slip: ReturnFieldsFragment) => void; onCancel: () => void }) {
  const client = useClient();
  const [, createReturn] = useCreateReturnMutation();
  const [picks, setPicks] = useState<Record<number, Pick>>({});
  const [reason, setReason] = useState("");
  const [preview, setPreview] = useState<Preview | null>(null);
  const [approval, setApproval] = useState<Approval>({ username: "", pin: "" });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per previewed return: a retried confirm can never refund twice.
  const [key, setKey] = useState(() => `web-return-${crypto.randomUUID()}`);

  const left = (l: Bill["lines"][number]) => subtractQuantity(l.quantity, l.returnedQty);
  const chosen = bill.lines.flatMap((l) => {
    const p = picks[l.id];
    const q = p ? parseSaleQuantity(p.quantity) : null;
    return p && q && compareDecimal(q, "0") > 0 ? [{ billItemId: l.id, quantity: q, restock: p.restock }] : [];
  });
  const input = { billId: bill.id, lines: chosen, reason };
  const change = (id: number, p: Partial<Pick>) => {
    setPicks((all) => ({ ...all, [id]: { quantity: all[id]?.quantity ?? "", restock: all[id]?.restock ?? true, ...p } }));
    setPreview(null);
  };

  const askPreview = async () => {
    setError(null);
    if (!chosen.length) return setError("Choose at least one line and a quantity.");
    if (!reason.trim()) return setError("Say why the goods came back.");
    setBusy(true);
    const r = await client.query(RefundPreviewDocument, { input }, { requestPolicy: "network-only" }).toPromise();
    setBusy(false);
    const answer = r.data?.refundPreview;
    if (answer?.__typename === "RefundPreviewSuccess") {
      setPreview(answer.preview);
      setKey(`web-return-${crypto.randomUUID()}`);
    } else setError(answer && "message" in answer ? (answer.message ?? "Refused") : (r.error?.message ?? "The preview failed"));
  };

  const confirm = async () => {
    if (!preview) return;
    setBusy(true);
    setError(null);
    const r = await createReturn({ input: { ...input, idempotencyKey: key, ...(preview.approvalRequired && approval.username.trim() ? { approval } : {}) } });
    setBusy(false);
    const answer = r.data?.createReturn;
    if (answer?.__typename === "CreateReturnSuccess") onDone(answer.billReturn);
    else setError(answer && "message" in answer ? (answer.message ?? "Refused") : (r.error?.message ?? "The return failed"));
  };

  return (
    <section className="panel return-panel no-print" aria-labelledby="return-title">
      <h2 id="return-title">Return items</h2>
      <table className="invoice-lines">
        <thead>
          <tr><th scope="col">Item</th><th scope="col" className="num">Sold</th><th scope="col" className="num">Left</th><th scope="col">Return</th><th scope="col">Goods</th></tr>
        </thead>
        <tbody>
          {bill.lines.map((l) => {
            const rest = left(l);
            const none = compareDecimal(rest, "0") <= 0;
            return (
              <tr key={l.id}>
                <td>{l.itemName}</td>
                <td className="num">{displayQuantity(l.quantity)} {l.unit}</td>
                <td className="num">{displayQuantity(rest)}</td>
                <td>
                  <input
                    aria-label={`Quantity of ${l.itemName} to return`}
                    data-testid={`return-qty-${l.id}`}
                    inputMode="decimal"
                    disabled={none}
                    placeholder={none ? "—" : `up to ${displayQuantity(rest)}`}
                    value={picks[l.id]?.quantity ?? ""}
                    onChange={(e) => change(l.id, { quantity: e.target.value })}
                  />
                </td>
                <td>
                  <select
                    aria-label={`What happens to ${l.itemName}`}
                    data-testid={`return-restock-${l.id}`}
                    disabled={none}
                    value={picks[l.id]?.restock === false ? "damaged" : "restock"}
                    onChange={(e) => change(l.id, { restock: e.target.value !== "damaged" })}
                  >
                    <option value="restock">Back to stock</option>
                    <option value="damaged">Damaged</option>
                  </select>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Field label="Reason">
        <input data-testid="return-reason" value={reason} maxLength={200} onChange={(e) => { setReason(e.target.value); setPreview(null); }} />
      </Field>
      {preview ? (
        <div className="refund-preview" data-testid="refund-preview">
          <h3>Refund (computed by the server)</h3>
          <ul>
            {preview.lines.map((l) => (
              <li key={l.billItemId}>
                {displayQuantity(l.quantity)} {l.unit} {l.itemName} ({l.restock ? "back to stock" : "damaged"}): <strong>{l.refundAmount}</strong>
                <small className="muted"> incl. tax {l.taxAmount}, after discounts {l.discountAmount}</small>
              </li>
            ))}
          </ul>
          <p>
            Refund <strong data-testid="refund-preview-total">{preview.refundTotal}</strong>
            {preview.taxTotal !== "0.00" ? <small className="muted"> (tax {preview.taxTotal})</small> : null}
            {" — "}
            {preview.payments.map((p) => `${METHOD[p.method] ?? p.method} ${p.amount}`).join(" + ")}
          </p>
          {preview.approvalRequired ? <ManagerApproval what="This return" value={approval} onChange={setApproval} /> : null}
        </div>
      ) : null}
      {error ? <p className="status error" role="alert" data-testid="return-error">{error}</p> : null}
      <div className="row">
        {preview ? (
          <button type="button" className="primary" data-testid="confirm-return" disabled={busy} onClick={confirm}>Confirm return of {preview.refundTotal}</button>
        ) : (
          <button type="button" className="primary" data-testid="preview-return" disabled={busy} onClick={askPreview}>Preview refund</button>
        )}
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </section>
  );
}
