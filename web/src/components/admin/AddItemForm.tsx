"use client";
// Add an item. The API validates; its ValidationError fieldErrors appear
// under the fields they name. On success the lists refresh (graphcache
// invalidates them, see lib/urql.ts) and the form is ready for the next item.
import { useRef, useState, type FormEvent } from "react";
import { Field } from "../Field.tsx";
import { useCreateItemMutation } from "../../gql/graphql.ts";
import { categoryOptions, fieldErrorMap } from "../../lib/hooks.ts";
import { ItemNameFields } from "./ItemNameFields.tsx";

const blank = { name: "", category: "Grocery", unit: "piece", unitPrice: "", stockQty: "", sku: "" };

export function AddItemForm({ categories }: { categories: string[] }) {
  const [form, setForm] = useState(blank);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [{ fetching }, createItem] = useCreateItemMutation();
  const nameRef = useRef<HTMLInputElement>(null);

  const set = (k: keyof typeof blank) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setStatus(null);
    const result = await createItem({
      input: {
        name: form.name,
        category: form.category,
        unit: form.unit,
        unitPrice: form.unitPrice,
        stockQty: form.stockQty.trim() === "" ? null : form.stockQty,
        sku: form.sku.trim() === "" ? null : form.sku.trim(),
      },
    });
    const answer = result.data?.createItem;
    if (answer?.__typename === "CreateItemSuccess") {
      setErrors({});
      setForm({ ...blank, category: form.category, unit: form.unit });
      setStatus({ kind: "ok", text: `Added ${answer.item.name}.` });
      nameRef.current?.focus();
    } else if (answer?.__typename === "ValidationError") {
      setErrors(fieldErrorMap(answer));
      setStatus({ kind: "error", text: answer.message });
    } else {
      setStatus({ kind: "error", text: answer?.message ?? result.error?.message ?? "Could not add the item." });
    }
  }

  return (
    <form className="stack" onSubmit={submit} noValidate aria-label="Add item">
      <ItemNameFields values={form} errors={errors} set={set} categories={categoryOptions(categories)} nameRef={nameRef} idPrefix="add-item" />
      <div className="row2">
        <Field label="Unit price" error={errors.unitPrice}>
          <input value={form.unitPrice} onChange={set("unitPrice")} inputMode="decimal" placeholder="0.00" autoComplete="off" />
        </Field>
        <Field label="Initial stock" error={errors.stockQty}>
          <input value={form.stockQty} onChange={set("stockQty")} inputMode="decimal" placeholder="0" autoComplete="off" />
        </Field>
      </div>
      <Field label="SKU / barcode (optional)" error={errors.sku}>
        <input value={form.sku} onChange={set("sku")} autoComplete="off" />
      </Field>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={fetching}>{fetching ? "Adding…" : "Add item"}</button>
        <p className={`status ${status?.kind ?? ""}`} role="status" aria-live="polite">{status?.text}</p>
      </div>
    </form>
  );
}
