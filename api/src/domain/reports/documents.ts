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

// ---- the same figures from the report rollups (see the report_rollups migration) ----

/**
 * report_items rows `ri` of the shop days [$1, $2): the whole months [$3, $4)
 * from month rows, the days around them from day rows (see splitMonths).
 */
export const ITEM_BUCKETS = `((ri.kind = 'M' AND ri.day >= $3::date AND ri.day < $4::date)
  OR (ri.kind = 'D' AND ((ri.day >= $1::date AND ri.day < $3::date) OR (ri.day >= $4::date AND ri.day < $2::date))))`;

/** An item row group that had a sale or a return in the range (a voided sale adds and takes away the same). */
export const ITEM_ROWS_COUNT = `sum(ri.lines) <> 0 OR sum(ri.returned_qty) <> 0`;
