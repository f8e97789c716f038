"use client";
// The POS search box: focused on load, results as you type, ↑/↓ to move,
// Enter to add. Enter on an exact SKU / barcode adds that item straight away
// (a scanner types the code and presses Enter faster than any search returns).
import { useState, type KeyboardEvent, type RefObject } from "react";
import { useClient } from "urql";
import {
  ItemBySkuDocument,
  PosSearchDocument,
  usePosSearchQuery,
  type PosSearchQuery,
  type PosSearchQueryVariables,
  type ItemBySkuQuery,
  type ItemBySkuQueryVariables,
  type PosItemFieldsFragment,
} from "../../gql/graphql.ts";
import { compareDecimal, displayQuantity, subtractQuantity } from "../../lib/decimal.ts";
import { useDebounced } from "../../lib/hooks.ts";

const RESULTS = 8;

export function ItemSearch(props: {
  inputRef: RefObject<HTMLInputElement | null>;
  onAdd: (item: PosItemFieldsFragment) => void;
  /** Quantities in the cart, by item id: the stock shown already counts them. */
  cartQty: Map<number, string>;
  /** While the bill is being generated the cache already holds the lowered stock. */
  cartPending: boolean;
}) {
  const client = useClient();
  const [text, setText] = useState("");
  const [active, setActive] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const term = useDebounced(text.trim(), 120);
  const [{ data, fetching }] = usePosSearchQuery({ variables: { search: term, first: RESULTS }, pause: term === "" });
  const results = term !== "" && text.trim() !== "" ? (data?.items.nodes ?? []) : [];
  // While the debounce runs, the list shown is for older text: dimmed, and Enter won't pick from it.
  const resultsCurrent = term === text.trim();
  const current = Math.min(active, Math.max(results.length - 1, 0));

  function add(item: PosItemFieldsFragment) {
    props.onAdd(item);
    setText("");
    setActive(0);
    setNotice(null);
  }

  async function onEnter() {
    const typed = text.trim();
    if (!typed) return;
    // An exact SKU wins over the list, unless the cashier picked a row with the arrows.
    if (active === 0 || !resultsCurrent) {
      const r = await client
        .query<ItemBySkuQuery, ItemBySkuQueryVariables>(ItemBySkuDocument, { sku: typed }, { requestPolicy: "network-only" })
        .toPromise();
      const item = r.data?.itemBySku;
      if (item && item.isActive) return add(item);
      if (item) return setNotice(`${item.name} is not on sale (deactivated).`);
    }
    let picked = resultsCurrent ? results[current] : undefined;
    if (!picked) {
      const r = await client
        .query<PosSearchQuery, PosSearchQueryVariables>(PosSearchDocument, { search: typed, first: RESULTS }, { requestPolicy: "network-only" })
        .toPromise();
      picked = r.data?.items.nodes[0];
    }
    if (picked) add(picked);
    else setNotice(`No item matches “${typed}”.`);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setActive(Math.min(current + 1, results.length - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive(Math.max(current - 1, 0));
    } else if (e.key === "Enter") {
      e.preventDefault();
      void onEnter();
    } else if (e.key === "Escape") {
      setText("");
      setActive(0);
    }
  }

  const shownStock = (item: PosItemFieldsFragment) => {
    const inCart = props.cartQty.get(item.id);
    return inCart && !props.cartPending ? subtractQuantity(item.stockQty, inCart) : item.stockQty;
  };

  return (
    <div className="search">
      <label htmlFor="pos-search" className="search-label">Search or scan</label>
      <input
        id="pos-search"
        ref={props.inputRef}
        className="search-input"
        type="search"
        autoFocus
        autoComplete="off"
        placeholder="Item name or SKU, then Enter"
        role="combobox"
        aria-expanded={results.length > 0}
        aria-controls="pos-results"
        aria-activedescendant={results[current] ? `pos-result-${results[current].id}` : undefined}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          setNotice(null);
        }}
        onKeyDown={onKeyDown}
      />
      <p className="hint">↑ ↓ to choose · Enter to add · Esc to clear</p>
      {notice ? <p className="status error" role="alert">{notice}</p> : null}
      <ul id="pos-results" role="listbox" aria-label="Matching items" className={`results${resultsCurrent ? "" : " stale"}`} aria-busy={fetching || !resultsCurrent}>
        {results.map((item, i) => {
          const stock = shownStock(item);
          const short = compareDecimal(stock, "0") <= 0;
          return (
            <li
              key={item.id}
              id={`pos-result-${item.id}`}
              role="option"
              aria-selected={i === current}
              className={i === current ? "active" : undefined}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => add(item)}
              onMouseEnter={() => setActive(i)}
            >
              <span className="r-name">{item.name}{item.sku ? <small className="sku"> {item.sku}</small> : null}</span>
              <span className="r-price">{item.unitPrice} / {item.unit}</span>
              <span className={`r-stock${short ? " short" : ""}`} data-testid="result-stock">
                {displayQuantity(stock)} {item.unit} in stock{props.cartQty.has(item.id) ? " (after cart)" : ""}
              </span>
            </li>
          );
        })}
        {term !== "" && text.trim() !== "" && data && results.length === 0 ? <li className="none" role="presentation">No matches</li> : null}
      </ul>
    </div>
  );
}
