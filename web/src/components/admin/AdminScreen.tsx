"use client";
// /admin: the inventory. Add items, search and filter the list (server-side,
// cursor pages), edit an item, change its stock, deactivate it.
import { useEffect, useRef, useState } from "react";
import { useCategoriesQuery, type Permission } from "../../gql/graphql.ts";
import { useDebounced } from "../../lib/hooks.ts";
import { AddItemForm } from "./AddItemForm.tsx";
import { BackupStatusLine } from "./BackupStatusLine.tsx";
import { AlertBadge, AlertsPanel } from "./AlertsPanel.tsx";
import { EditItemDialog } from "./EditItemDialog.tsx";
import { ItemsTable, type Filters } from "./ItemsTable.tsx";

/** Controls follow `permissions`: adding and editing need EDIT_CATALOG, stock changes ADJUST_STOCK. */
export function AdminScreen({ permissions }: { permissions: readonly Permission[] }) {
  const canEdit = permissions.includes("EDIT_CATALOG");
  const canAdjust = permissions.includes("ADJUST_STOCK");
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
    <div className={canEdit ? "admin" : "admin no-add"}>
      {canEdit ? (
        <section className="panel add-panel" aria-labelledby="add-title">
          <h2 id="add-title">Add item</h2>
          <AddItemForm categories={categories} />
          {permissions.includes("MANAGE_SETTINGS") ? <BackupStatusLine /> : null}
        </section>
      ) : null}

      <section className="panel items-panel" aria-labelledby="items-title">
        <div className="panel-head">
          <h1 id="items-title">Inventory</h1>
          <span className="head-links">
            <a className="button-link" href="/admin/import">Import</a>{" "}
            <a className="button-link" href="/items/export.csv" download>Export CSV</a>
          </span>
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

      {editing !== null ? <EditItemDialog itemId={editing} categories={categories} onClose={() => setEditing(null)} canEdit={canEdit} canAdjust={canAdjust} /> : null}
    </div>
  );
}
