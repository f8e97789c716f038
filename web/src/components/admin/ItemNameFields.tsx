// The fields an item is known by (name, category, unit), shared by the add
// form and the edit dialog so both look and validate alike.
import type { ChangeEvent, RefObject } from "react";
import { Field } from "../Field.tsx";
import { COMMON_UNITS } from "../../lib/hooks.ts";

type Key = "name" | "category" | "unit";

export function ItemNameFields(props: {
  values: Record<Key, string>;
  errors: Record<string, string>;
  set: (k: Key) => (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => void;
  /** Category choices, the current one included. */
  categories: string[];
  nameRef?: RefObject<HTMLInputElement | null>;
  /** Unique per form: the unit suggestions' datalist id. */
  idPrefix: string;
}) {
  const { values, errors, set, categories, nameRef, idPrefix } = props;
  return (
    <>
      <Field label="Name" error={errors.name}>
        <input ref={nameRef} value={values.name} onChange={set("name")} autoComplete="off" />
      </Field>
      <div className="row2">
        <Field label="Category" error={errors.category}>
          <select value={values.category} onChange={set("category")}>
            {categories.map((c) => <option key={c}>{c}</option>)}
          </select>
        </Field>
        <Field label="Unit" error={errors.unit}>
          <input value={values.unit} onChange={set("unit")} list={`${idPrefix}-units`} autoComplete="off" />
        </Field>
      </div>
      <datalist id={`${idPrefix}-units`}>
        {COMMON_UNITS.map((u) => <option key={u} value={u} />)}
      </datalist>
    </>
  );
}
