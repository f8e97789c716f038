"use client";
// Edit one item in a modal <dialog> (Esc closes it): its details, its stock
// (an adjustment with a reason, or a physical count) and whether it is on sale.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Field } from "../Field.tsx";
import {
  useAdjustStockMutation,
  useCountStockMutation,
  useItemQuery,
  useSetItemActiveMutation,
  useUpdateItemMutation,
  type ItemFieldsFragment,
  type UpdateItemInput,
} from "../../gql/graphql.ts";
import { displayQuantity, parseFixed, QUANTITY_PLACES } from "../../lib/decimal.ts";
import { categoryOptions, fieldErrorMap } from "../../lib/hooks.ts";
import { ItemNameFields } from "./ItemNameFields.tsx";

type Status = { kind: "ok" | "error"; text: string } | null;

/** `canEdit` (EDIT_CATALOG) shows the details and on-sale controls, `canAdjust` (ADJUST_STOCK) the stock form. */
export function EditItemDialog({ itemId, categories, onClose, canEdit = true, canAdjust = true }: { itemId: number; categories: string[]; onClose: () => void; canEdit?: boolean; canAdjust?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [{ data, error }] = useItemQuery({ variables: { id: itemId } });
  const item = data?.item;

  // No close() on cleanup: it fires "close" later, which would unmount the dialog
  // again after React's strict-mode remount in development. Unmounting removes it anyway.
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="edit-title" onClose={onClose}>
      <div className="dialog-head">
        <h2 id="edit-title">{item ? `Edit ${item.name}` : "Edit item"}</h2>
        <button type="button" className="icon" aria-label="Close" onClick={() => ref.current?.close()}>×</button>
      </div>
      {error ? <p className="status error" role="alert">{error.message}</p> : null}
      {item ? (
        <div className="dialog-body">
          {canEdit ? <DetailsForm key={`d${item.id}`} item={item} categories={categories} onSaved={() => ref.current?.close()} /> : null}
          {canAdjust ? <StockForm key={`s${item.id}`} item={item} /> : null}
          {canEdit ? <ActiveToggle item={item} /> : null}
        </div>
      ) : (
        <p className="loading">Loading…</p>
      )}
    </dialog>
  );
}

function DetailsForm({ item, categories, onSaved }: { item: ItemFieldsFragment; categories: string[]; onSaved: () => void }) {
  const [form, setForm] = useState({
    name: item.name,
    category: item.category,
    unit: item.unit,
    unitPrice: item.unitPrice,
    sku: item.sku ?? "",
    reorderPoint: item.reorderPoint ?? "",
    reorderQty: item.reorderQty ?? "",
    unitCost: item.unitCost ?? "",
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<Status>(null);
  const [{ fetching }, updateItem] = useUpdateItemMutation();
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    // Only what changed: a concurrent edit of another field is not overwritten.
    const input: UpdateItemInput = {};
    if (form.name !== item.name) input.name = form.name;
    if (form.category !== item.category) input.category = form.category;
    if (form.unit !== item.unit) input.unit = form.unit;
    if (form.unitPrice !== item.unitPrice) input.unitPrice = form.unitPrice;
    if (form.sku.trim() !== (item.sku ?? "")) input.sku = form.sku.trim() === "" ? null : form.sku.trim();
    // Thresholds and cost: blank clears the item's own value (its category's default applies again).
    for (const k of ["reorderPoint", "reorderQty", "unitCost"] as const) {
      if (form[k].trim() !== (item[k] ?? "")) input[k] = form[k].trim() === "" ? null : form[k].trim();
    }
    if (Object.keys(input).length === 0) return onSaved();
    const result = await updateItem({ id: item.id, input });
    const answer = result.data?.updateItem;
    if (answer?.__typename === "UpdateItemSuccess") {
      setErrors({});
      onSaved();
    } else if (answer?.__typename === "ValidationError") {
      setErrors(fieldErrorMap(answer));
      setStatus({ kind: "error", text: answer.message });
    } else {
      setStatus({ kind: "error", text: answer?.message ?? result.error?.message ?? "Could not save." });
    }
  }

  return (
    <form className="stack" onSubmit={submit} noValidate aria-label="Item details">
      <h3>Details</h3>
      <ItemNameFields values={form} errors={errors} set={set} categories={categoryOptions(categories, item.category)} idPrefix="edit-item" />
      <div className="row2">
        <Field label="Unit price" error={errors.unitPrice}>
          <input value={form.unitPrice} onChange={set("unitPrice")} inputMode="decimal" autoComplete="off" />
        </Field>
        <Field label="SKU / barcode" error={errors.sku}>
          <input value={form.sku} onChange={set("sku")} autoComplete="off" />
        </Field>
      </div>
      <div className="row3">
        <Field label={`Reorder point (${item.unit})`} error={errors.reorderPoint} hint={`Low at or below this; blank: the category's default (now ${displayQuantity(item.lowStockAt)})`}>
          <input value={form.reorderPoint} onChange={set("reorderPoint")} inputMode="decimal" autoComplete="off" />
        </Field>
        <Field label={`Reorder quantity (${item.unit})`} error={errors.reorderQty}>
          <input value={form.reorderQty} onChange={set("reorderQty")} inputMode="decimal" autoComplete="off" />
        </Field>
        <Field label="Unit cost" error={errors.unitCost}>
          <input value={form.unitCost} onChange={set("unitCost")} inputMode="decimal" autoComplete="off" />
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={fetching}>{fetching ? "Saving…" : "Save changes"}</button>
        <p className={`status ${status?.kind ?? ""}`} role="status" aria-live="polite">{status?.text}</p>
      </div>
    </form>
  );
}

type StockAction = "RESTOCK" | "RETURN" | "REMOVE" | "COUNT";

function StockForm({ item }: { item: ItemFieldsFragment }) {
  const [action, setAction] = useState<StockAction>("RESTOCK");
  const [qty, setQty] = useState("");
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<Status>(null);
  const [adjustState, adjustStock] = useAdjustStockMutation();
  const [countState, countStock] = useCountStockMutation();
  const busy = adjustState.fetching || countState.fetching;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setStatus(null);
    const amount = parseFixed(qty, QUANTITY_PLACES);
    if (amount === null || amount < 0n || (amount === 0n && action !== "COUNT")) {
      setErrors({ qty: action === "COUNT" ? "Enter the quantity counted, e.g. 12 or 3.5" : "Enter a quantity greater than 0, e.g. 5 or 1.5" });
      return;
    }
    const noteValue = note.trim() === "" ? null : note.trim();
    let answer;
    if (action === "COUNT") {
      const r = await countStock({ input: { itemId: item.id, countedQty: qty.trim(), note: noteValue } });
      answer = r.data?.countStock ?? { __typename: "Failed" as const, message: r.error?.message ?? "Could not save the count." };
    } else {
      const delta = action === "REMOVE" ? `-${qty.trim()}` : qty.trim();
      const reason = action === "REMOVE" ? "ADJUSTMENT" : action;
      const r = await adjustStock({ input: { itemId: item.id, delta, reason, note: noteValue } });
      answer = r.data?.adjustStock ?? { __typename: "Failed" as const, message: r.error?.message ?? "Could not change the stock." };
    }
    switch (answer.__typename) {
      case "AdjustStockSuccess":
      case "CountStockSuccess":
        setErrors({});
        setQty("");
        setNote("");
        setStatus({ kind: "ok", text: `Stock is now ${displayQuantity(answer.change.item.stockQty)} ${answer.change.item.unit}.` });
        break;
      case "ValidationError": {
        const fe = fieldErrorMap(answer);
        setErrors({ qty: fe.delta ?? fe.countedQty ?? "", note: fe.note ?? "" });
        setStatus({ kind: "error", text: answer.message });
        break;
      }
      case "InsufficientStockError":
        setErrors({ qty: `Only ${displayQuantity(answer.available)} ${item.unit} in stock` });
        setStatus({ kind: "error", text: answer.message });
        break;
      default:
        setStatus({ kind: "error", text: answer.message });
    }
  }

  return (
    <form className="stack" onSubmit={submit} noValidate aria-label="Change stock">
      <h3>Stock <span className="muted">— {displayQuantity(item.stockQty)} {item.unit} on hand</span></h3>
      <div className="row2">
        <Field label="Change">
          <select value={action} onChange={(e) => setAction(e.target.value as StockAction)}>
            <option value="RESTOCK">Restock (+)</option>
            <option value="RETURN">Customer return (+)</option>
            <option value="REMOVE">Remove: damaged, lost… (−)</option>
            <option value="COUNT">Set to a physical count</option>
          </select>
        </Field>
        <Field label={action === "COUNT" ? `Counted quantity (${item.unit})` : `Quantity (${item.unit})`} error={errors.qty || undefined}>
          <input value={qty} onChange={(e) => setQty(e.target.value)} inputMode="decimal" autoComplete="off" />
        </Field>
      </div>
      <Field label="Note (optional)" error={errors.note || undefined}>
        <input value={note} onChange={(e) => setNote(e.target.value)} autoComplete="off" />
      </Field>
      <div className="form-actions">
        <button type="submit" disabled={busy}>{busy ? "Saving…" : action === "COUNT" ? "Save count" : "Apply change"}</button>
        <p className={`status ${status?.kind ?? ""}`} role="status" aria-live="polite">{status?.text}</p>
      </div>
    </form>
  );
}

function ActiveToggle({ item }: { item: ItemFieldsFragment }) {
  const [{ fetching }, setActive] = useSetItemActiveMutation();
  const [status, setStatus] = useState<Status>(null);
  async function toggle() {
    const r = await setActive({ id: item.id, active: !item.isActive });
    const answer = r.data?.setItemActive;
    if (answer?.__typename === "SetItemActiveSuccess") setStatus({ kind: "ok", text: answer.item.isActive ? "Back on sale." : "Deactivated: hidden from sale and from the list." });
    else setStatus({ kind: "error", text: answer?.message ?? r.error?.message ?? "Could not change it." });
  }
  return (
    <div className="stack">
      <h3>On sale</h3>
      <div className="form-actions">
        <button type="button" className={item.isActive ? "danger" : ""} onClick={toggle} disabled={fetching}>
          {item.isActive ? "Deactivate item" : "Reactivate item"}
        </button>
        <p className={`status ${status?.kind ?? ""}`} role="status" aria-live="polite">{status?.text}</p>
      </div>
    </div>
  );
}
