"use client";
// /admin: the inventory. Add items, search and filter the list (server-side,
// cursor pages), edit an item, change its stock, deactivate it.
import { useEffect, useRef, useState } from "react";
import { useCategoriesQuery } from "../../gql/graphql.ts";
import { useDebounced } from "../../lib/hooks.ts";
import { AddItemForm } from "./AddItemForm.tsx";
import { AlertBadge, AlertsPanel } from "./AlertsPanel.tsx";
import { EditItemDialog } from "./EditItemDialog.tsx";
import { ItemsTable, type Filters } from "./ItemsTable.tsx";

export function AdminScreen() {
  const [search, setSearch] = useState("");
  const [category, setCategory] = useState("");
  const [showInactive, setShowInactive] = useState(false);
  const [lowOnly, setLowOnly] = useState(false);
  const [editing, setEditing] = useState<number | null>(null);
  const [showAlerts, setShowAlerts] = useState(false);
  const [{ data: cats }] = useCategoriesQuery();
  const searchRef = useRef<HTMLInputElement>(null);

  // "/" jumps to the search box from anywhere that is not a text field.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || t?.closest("input, textarea, select, [contenteditable], dialog")) return;
      e.preventDefault();
      searchRef.current?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
  const categories = cats?.categories.map((c) => c.name) ?? [];

  const filters: Filters = {
    search: useDebounced(search.trim(), 250),
    category,
    includeInactive: showInactive,
    lowOnly,
  };

  return (
    <div className="admin">
      <section className="panel add-panel" aria-labelledby="add-title">
        <h2 id="add-title">Add item</h2>
        <AddItemForm categories={categories} />
      </section>

      <section className="panel items-panel" aria-labelledby="items-title">
        <div className="panel-head">
          <h1 id="items-title">Inventory</h1>
          <AlertBadge onClick={() => setShowAlerts((v) => !v)} />
        </div>
        <div className="toolbar" role="search">
          <label className="grow">
            <span className="sr-only">Search items</span>
            <input
              ref={searchRef}
              type="search"
              placeholder="Search name or SKU…  ( / )"
              aria-label="Search items"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
          </label>
          <label>
            <span className="sr-only">Category</span>
            <select aria-label="Filter by category" value={category} onChange={(e) => setCategory(e.target.value)}>
              <option value="">All categories</option>
              {categories.map((c) => (
                <option key={c} value={c}>{c}</option>
              ))}
            </select>
          </label>
          <label className="check">
            <input type="checkbox" checked={lowOnly} onChange={(e) => setLowOnly(e.target.checked)} /> Low stock only
          </label>
          <label className="check">
            <input type="checkbox" checked={showInactive} onChange={(e) => setShowInactive(e.target.checked)} /> Show inactive
          </label>
        </div>
        <ItemsTable filters={filters} onEdit={setEditing} />
      </section>

      {showAlerts ? <AlertsPanel /> : null}

      {editing !== null ? <EditItemDialog itemId={editing} categories={categories} onClose={() => setEditing(null)} /> : null}
    </div>
  );
}
