// The two rules every report over a range shares, as SQL fragments over the
// range parameters $1, $2: a voided bill counts nowhere (its sale, payments and
// tax are gone), and a return counts on the day it was made, not the day of the
// bill it returns.

/** Bills `b` sold in [$1, $2) that stand. */
export const SOLD_BILLS = `b.created_at >= $1 AND b.created_at < $2 AND b.voided_at IS NULL`;

/**
 * Return lines `rl` of the returns `r` made in [$1, $2), each with the sold
 * line `bi` it gives back (its item, category, rate and unit cost as sold).
 * `rl.refund_amount - rl.tax_amount` is the line's value without tax.
 */
export const RETURNED_LINES = `bill_returns r JOIN bill_return_lines rl ON rl.return_id = r.id JOIN bill_items bi ON bi.id = rl.bill_item_id
  WHERE r.created_at >= $1 AND r.created_at < $2`;
