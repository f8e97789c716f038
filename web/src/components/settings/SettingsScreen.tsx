"use client";
// /settings: the shop's own details for receipts, its pricing rules (tax
// included or added, rounding, cash rounding), and its tax rates with each
// category's default. Changes need MANAGE_SETTINGS; the server checks.
import { useEffect, useState, type FormEvent } from "react";
import {
  useCategoryTaxRatesQuery,
  useCreateTaxRateMutation,
  useSetCategoryTaxRateMutation,
  useShopSettingsQuery,
  useUpdateShopSettingsMutation,
  useUpdateTaxRateMutation,
  type ShopSettingsFieldsFragment,
  type TaxRounding,
} from "../../gql/graphql.ts";
import { fieldErrorMap } from "../../lib/hooks.ts";

const CASH_ROUNDING = [
  ["0.00", "None"],
  ["0.05", "0.05"],
  ["0.10", "0.10"],
  ["0.50", "0.50"],
  ["1.00", "1.00"],
] as const;

type Form = Omit<ShopSettingsFieldsFragment, "__typename">;

export function SettingsScreen() {
  const [{ data }, refetch] = useShopSettingsQuery({ requestPolicy: "network-only" });
  const [{ data: cats }, refetchCats] = useCategoryTaxRatesQuery({ requestPolicy: "network-only" });
  const [, update] = useUpdateShopSettingsMutation();
  const [, createRate] = useCreateTaxRateMutation();
  const [, updateRate] = useUpdateTaxRateMutation();
  const [, setCategoryRate] = useSetCategoryTaxRateMutation();
  const [form, setForm] = useState<Form | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);
  const [rate, setRate] = useState({ name: "", percent: "" });
  const [rateError, setRateError] = useState<string | null>(null);
  const [category, setCategory] = useState({ category: "", taxRateId: "" });

  useEffect(() => {
    if (data?.shopSettings && !form) {
      const { __typename: _, ...rest } = data.shopSettings;
      setForm(rest);
    }
  }, [data, form]);

  if (!form) return <p className="muted">Loading settings…</p>;
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm({ ...form, [key]: value });
  const text = (key: "name" | "address" | "phone" | "taxRegistrationNumber" | "currency" | "receiptFooter" | "timeZone" | "cashierDiscountLimit", label: string) => (
    <label className="field">
      <span>{label}</span>
      <input value={form[key] ?? ""} onChange={(e) => set(key, e.target.value)} aria-invalid={errors[key] ? true : undefined} />
      {errors[key] ? <small className="field-error" role="alert">{errors[key]}</small> : null}
    </label>
  );

  async function save(e: FormEvent) {
    e.preventDefault();
    setStatus(null);
    const f = form!;
    const blank = (v: string | null | undefined) => (v?.trim() ? v.trim() : null);
    const res = await update({
      input: {
        name: f.name,
        address: blank(f.address),
        phone: blank(f.phone),
        taxRegistrationNumber: blank(f.taxRegistrationNumber),
        currency: f.currency,
        receiptFooter: blank(f.receiptFooter),
        pricesIncludeTax: f.pricesIncludeTax,
        taxRounding: f.taxRounding,
        cashRounding: f.cashRounding,
        timeZone: f.timeZone,
        cashierDiscountLimit: f.cashierDiscountLimit,
        shiftsEnabled: f.shiftsEnabled,
      },
    });
    const r = res.data?.updateShopSettings;
    if (r?.__typename === "UpdateShopSettingsSuccess") {
      setErrors({});
      setStatus("Saved. New bills use these settings; old bills keep theirs.");
      refetch({ requestPolicy: "network-only" });
    } else if (r?.__typename === "ValidationError") {
      setErrors(fieldErrorMap(r));
      setStatus(r.message);
    } else setStatus(res.error?.message ?? "Not saved");
  }

  async function addRate(e: FormEvent) {
    e.preventDefault();
    const res = await createRate({ input: { name: rate.name, percent: rate.percent } });
    const r = res.data?.createTaxRate;
    if (r?.__typename === "CreateTaxRateSuccess") {
      setRate({ name: "", percent: "" });
      setRateError(null);
      refetch({ requestPolicy: "network-only" });
    } else setRateError(r && "message" in r ? r.message : (res.error?.message ?? "Not added"));
  }

  async function assign(e: FormEvent) {
    e.preventDefault();
    const res = await setCategoryRate({ category: category.category, taxRateId: category.taxRateId ? Number(category.taxRateId) : null });
    const r = res.data?.setCategoryTaxRate;
    if (r?.__typename === "SetCategoryTaxRateSuccess") {
      setCategory({ category: "", taxRateId: "" });
      setRateError(null);
      refetchCats({ requestPolicy: "network-only" });
    } else setRateError(r && "message" in r ? r.message : (res.error?.message ?? "Not saved"));
  }

  const rates = data?.taxRates ?? [];
  return (
    <div className="settings">
      <form className="panel" onSubmit={save} aria-labelledby="shop-title">
        <h1 id="shop-title">Shop settings</h1>
        <div className="row2">
          {text("name", "Shop name")}
          {text("phone", "Phone")}
        </div>
        {text("address", "Address")}
        <div className="row2">
          {text("taxRegistrationNumber", "Tax registration number")}
          {text("currency", "Currency (ISO 4217, e.g. PKR)")}
        </div>
        {text("receiptFooter", "Receipt footer")}
        <div className="row2">
          <label className="field checkbox">
            <input type="checkbox" checked={form.pricesIncludeTax} onChange={(e) => set("pricesIncludeTax", e.target.checked)} />
            <span>Prices include tax</span>
          </label>
          <label className="field">
            <span>Tax rounding</span>
            <select value={form.taxRounding} onChange={(e) => set("taxRounding", e.target.value as TaxRounding)}>
              <option value="PER_LINE">Per line</option>
              <option value="PER_BILL_PER_RATE">Per bill, per rate</option>
            </select>
          </label>
        </div>
        <div className="row2">
          <label className="field">
            <span>Cash rounding</span>
            <select value={form.cashRounding} onChange={(e) => set("cashRounding", e.target.value)}>
              {CASH_ROUNDING.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
            </select>
          </label>
          {text("timeZone", "Time zone (e.g. Asia/Karachi)")}
        </div>
        {text("cashierDiscountLimit", "Cashier discount limit (%)")}
        <label className="field checkbox">
          <input type="checkbox" checked={form.shiftsEnabled} onChange={(e) => set("shiftsEnabled", e.target.checked)} aria-invalid={errors.shiftsEnabled ? true : undefined} />
          <span>Shifts and the cash drawer: a sale needs an open shift on its register (opening float, paid in/out, X and Z reports)</span>
          {errors.shiftsEnabled ? <small className="field-error" role="alert">{errors.shiftsEnabled}</small> : null}
        </label>
        <div className="cart-actions">
          <button type="submit" className="primary">Save settings</button>
        </div>
        {status ? <p className="status" role="status">{status}</p> : null}
      </form>

      <section className="panel" aria-labelledby="rates-title">
        <h2 id="rates-title">Tax rates</h2>
        <table className="rates">
          <thead><tr><th scope="col">Name</th><th scope="col" className="num">Percent</th><th scope="col">Active</th></tr></thead>
          <tbody>
            {rates.map((r) => (
              <tr key={r.id}>
                <td>{r.name}</td>
                <td className="num">{r.percent}%</td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${r.name} active`}
                    checked={r.isActive}
                    onChange={async (e) => {
                      await updateRate({ id: r.id, input: { isActive: e.target.checked } });
                      refetch({ requestPolicy: "network-only" });
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form className="row2" onSubmit={addRate}>
          <label className="field"><span>Rate name</span><input value={rate.name} onChange={(e) => setRate({ ...rate, name: e.target.value })} /></label>
          <label className="field"><span>Percent</span><input inputMode="decimal" value={rate.percent} onChange={(e) => setRate({ ...rate, percent: e.target.value })} /></label>
          <button type="submit">Add rate</button>
        </form>
        <h3>Category defaults</h3>
        <ul>
          {(cats?.categoryTaxRates ?? []).map((c) => <li key={c.category}>{c.category}: {c.taxRate.name} ({c.taxRate.percent}%)</li>)}
        </ul>
        <form className="row2" onSubmit={assign}>
          <label className="field"><span>Category</span><input value={category.category} onChange={(e) => setCategory({ ...category, category: e.target.value })} /></label>
          <label className="field">
            <span>Default rate</span>
            <select value={category.taxRateId} onChange={(e) => setCategory({ ...category, taxRateId: e.target.value })}>
              <option value="">None</option>
              {rates.filter((r) => r.isActive).map((r) => <option key={r.id} value={String(r.id)}>{r.name}</option>)}
            </select>
          </label>
          <button type="submit">Set category rate</button>
        </form>
        {rateError ? <p className="status error" role="alert">{rateError}</p> : null}
      </section>
    </div>
  );
}
