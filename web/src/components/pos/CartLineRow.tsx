"use client";
// One cart line: the item's live stock (from the cache, so an optimistic sale
// or a refusal shows at once), the quantity typed, the line total.
import { useEffect, useRef } from "react";
import { useItemQuery } from "../../gql/graphql.ts";
import { compareDecimal, displayQuantity, parseSaleQuantity, subtractQuantity } from "../../lib/decimal.ts";
import { cartLineTotal, isMeasuredUnit, type CartLine } from "../../lib/cart.ts";
import type { LineProblem } from "./PosScreen.tsx";

export function CartLineRow(props: {
  line: CartLine;
  pending: boolean;
  problem: LineProblem | undefined;
  autoFocus: boolean;
  onFocused: () => void;
  onQuantity: (q: string) => void;
  onDiscount: (percent: string) => void;
  /** The line's amount after its discount (from the cart's totals), or null. */
  amount: string | null;
  onRemove: () => void;
  onDone: () => void;
}) {
  const { line, problem } = props;
  const [{ data }] = useItemQuery({ variables: { id: line.itemId } });
  const stock = data?.item?.stockQty;
  const qty = parseSaleQuantity(line.quantity);
  const total = props.amount ?? cartLineTotal(line);
  const qtyRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (props.autoFocus && qtyRef.current) {
      qtyRef.current.focus();
      qtyRef.current.select();
      props.onFocused();
    }
  }, [props.autoFocus, props.onFocused]);

  // While the bill is pending the cache already holds stock minus this line.
  const left = stock === undefined ? null : props.pending || qty === null ? stock : subtractQuantity(stock, qty);
  const short = left !== null && compareDecimal(left, "0") < 0;
  const qtyError = qty === null ? (isMeasuredUnit(line.unit) ? "Enter a quantity like 1.5" : "Enter a quantity like 2") : null;
  const invalid = Boolean(problem || qtyError);
  const errorId = `line-${line.itemId}-error`;

  return (
    // data-stock: the cached stock itself (optimistic while the bill is pending), for tests and debugging.
    <tr className={`${invalid ? "line-problem" : ""}`} data-item-id={line.itemId} data-stock={stock}>
      <th scope="row">
        <span className="item-name">{line.name}</span>
        <small className={`line-stock${short ? " short" : ""}`} data-testid="line-stock">
          {left === null ? "…" : short ? `short by ${displayQuantity(subtractQuantity("0", left))} ${line.unit}` : `${displayQuantity(left)} ${line.unit} left`}
        </small>
        {problem || qtyError ? (
          <small id={errorId} className="field-error" role="alert" data-testid="line-problem">{problem?.message ?? qtyError}</small>
        ) : null}
      </th>
      <td className="num">{line.unitPrice}<small className="per"> / {line.unit}</small></td>
      <td className="num">
        <input
          ref={qtyRef}
          className="qty"
          inputMode="decimal"
          aria-label={`Quantity of ${line.name} (${line.unit})`}
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? errorId : undefined}
          value={line.quantity}
          disabled={props.pending}
          onChange={(e) => props.onQuantity(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              props.onDone();
            }
          }}
        />
      </td>
      <td className="num">
        <input
          className="qty disc"
          inputMode="decimal"
          aria-label={`Discount % on ${line.name}`}
          value={line.discountPercent ?? ""}
          placeholder="0"
          disabled={props.pending}
          onChange={(e) => props.onDiscount(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              props.onDone();
            }
          }}
        />
      </td>
      <td className="num line-total">{total ?? "—"}</td>
      <td className="actions">
        <button type="button" className="icon" aria-label={`Remove ${line.name}`} onClick={props.onRemove} disabled={props.pending}>×</button>
      </td>
    </tr>
  );
}
