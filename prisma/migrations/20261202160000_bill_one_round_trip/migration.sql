-- A sale in one round trip (issue 16). The API prices a sale in TypeScript
-- (totals.ts, the one pricing module) from a snapshot of the shop settings and
-- the items, then calls this function once, in autocommit. It prices nothing:
-- it claims the idempotency key with the finished bill row, takes the open
-- shift's share lock, locks the items in id order, checks under that lock that
-- every input the price came from is unchanged and the stock suffices, and
-- writes the stock, the ledger, the lines and the payments. When anything moved
-- it raises SQLSTATE SLS01..SLS04 (so the claim is rolled back and nothing is
-- written) and the API falls back to the full transaction, which gives the
-- exact typed error or prices again. A key already taken returns no bill
-- (bill_id NULL): the API's full path answers the replay or the reuse.

-- What a snapshot of the shop settings was taken at: any change to the row moves it.
CREATE FUNCTION "store_settings_version"(s stores) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$ SELECT md5(s::text) $$;

CREATE FUNCTION "bill_sell_priced"(p_settings_version TEXT, p_register_key TEXT, p_bill JSONB, p_lines JSONB, p_payments JSONB)
RETURNS TABLE (bill_id INTEGER, created_at TIMESTAMPTZ, shift_id INTEGER, line_ids INTEGER[], line_item_ids INTEGER[], payment_ids INTEGER[])
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  s stores;
  v_bill bills;
  v_shifts INTEGER[];
  v_shift INTEGER;
  v_changed TEXT;
  v_short TEXT;
  v_item_ids INTEGER[];
  v_line_ids INTEGER[];
  v_line_item_ids INTEGER[];
  v_payment_ids INTEGER[];
BEGIN
  SELECT * INTO s FROM stores WHERE id = (p_bill->>'store_id')::int;
  IF NOT FOUND OR store_settings_version(s) IS DISTINCT FROM p_settings_version THEN
    RAISE EXCEPTION USING ERRCODE = 'SLS01', MESSAGE = 'shop settings changed since the sale was priced';
  END IF;

  -- As drawerShift(): the one open shift (of the register, if named), share-locked until commit.
  IF s.shifts_enabled THEN
    SELECT array_agg(x.id ORDER BY x.id) INTO v_shifts FROM (
      SELECT sh.id FROM shifts sh
       WHERE sh.store_id = s.id AND sh.status = 'OPEN' AND (p_register_key IS NULL OR sh.register_key = p_register_key)
       ORDER BY sh.id FOR SHARE
    ) x;
    IF coalesce(cardinality(v_shifts), 0) <> 1 THEN
      RAISE EXCEPTION USING ERRCODE = 'SLS04', MESSAGE = 'no single open shift for this sale';
    END IF;
    v_shift := v_shifts[1];
  END IF;

  -- Claim the key with the finished bill: a concurrent request with the same key waits here.
  INSERT INTO bills (customer_name, store_name, subtotal, total_amount, idempotency_key, request_hash, cashier_id, cashier_name, store_id,
                     discount_total, bill_discount_kind, bill_discount_value, bill_discount_amount, bill_discount_reason, tax_total, tax_breakdown,
                     prices_include_tax, tax_rounding, cash_rounding, change_due, shop_header, discount_requested_by, discount_approved_by, shift_id)
  SELECT b.customer_name, b.store_name, b.subtotal, b.total_amount, b.idempotency_key, b.request_hash, b.cashier_id, b.cashier_name, b.store_id,
         b.discount_total, b.bill_discount_kind, b.bill_discount_value, b.bill_discount_amount, b.bill_discount_reason, b.tax_total, b.tax_breakdown,
         b.prices_include_tax, b.tax_rounding, b.cash_rounding, b.change_due, b.shop_header, b.discount_requested_by, b.discount_approved_by, v_shift
    FROM jsonb_populate_record(NULL::bills, p_bill) b
  ON CONFLICT (idempotency_key) DO NOTHING
  RETURNING * INTO v_bill;
  IF NOT FOUND THEN
    RETURN; -- the key is taken: no row
  END IF;

  -- Lock the items in id order and compare every snapshotted input with what the lock sees.
  -- (Items are always reached by id through this array: the planner cannot see how few lines a jsonb holds.)
  v_item_ids := ARRAY(SELECT (e->>'item_id')::int FROM jsonb_array_elements(p_lines) e);
  WITH want AS (
    SELECT * FROM jsonb_populate_recordset(NULL::bill_items, p_lines)
  ), locked AS (
    SELECT i.id, i.name, i.sku, i.unit, i.unit_price, i.stock_qty, i.is_active, i.category, i.unit_cost,
           COALESCE(ir.id, cr.id) AS tax_rate_id, COALESCE(ir.name, cr.name) AS tax_rate_name, COALESCE(ir.percent, cr.percent, 0) AS tax_rate_percent
      FROM items i
      LEFT JOIN tax_rates ir ON ir.id = i.tax_rate_id AND ir.is_active
      LEFT JOIN category_tax_rates c ON c.category_key = lower(btrim(i.category))
      LEFT JOIN tax_rates cr ON cr.id = c.tax_rate_id AND cr.is_active
     WHERE i.id = ANY (v_item_ids)
     ORDER BY i.id
       FOR UPDATE OF i
  )
  SELECT string_agg(CASE
           WHEN k.id IS NULL THEN format('item %s missing', w.item_id)
           WHEN NOT k.is_active THEN format('item %s inactive', w.item_id)
           WHEN (k.name, k.sku, k.unit, k.unit_price, k.category, k.unit_cost, k.tax_rate_id, k.tax_rate_name, k.tax_rate_percent)
                IS DISTINCT FROM (w.item_name, w.sku, w.unit, w.unit_price, w.category, w.unit_cost, w.tax_rate_id, w.tax_rate_name, w.tax_rate_percent)
             THEN format('item %s changed', w.item_id)
         END, ', '),
         string_agg(CASE WHEN k.stock_qty < w.quantity THEN format('item %s short', w.item_id) END, ', ')
    INTO v_changed, v_short
    FROM want w LEFT JOIN locked k ON k.id = w.item_id;
  IF v_changed IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'SLS02', MESSAGE = v_changed;
  END IF;
  IF v_short IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'SLS03', MESSAGE = v_short;
  END IF;

  -- As writeBill(): stock (still conditional), the ledger, the lines in cart order, the payments.
  WITH want AS (
    SELECT w.*, o.pos FROM jsonb_array_elements(p_lines) WITH ORDINALITY AS o(line, pos), jsonb_populate_record(NULL::bill_items, o.line) w
  ), upd AS (
    UPDATE items i SET stock_qty = i.stock_qty - w.quantity, updated_at = now()
      FROM want w WHERE i.id = ANY (v_item_ids) AND i.id = w.item_id AND i.stock_qty >= w.quantity
    RETURNING i.id, i.stock_qty, w.quantity
  ), moves AS (
    INSERT INTO stock_movements (item_id, quantity, stock_after, reason, bill_id, actor_id)
    SELECT u.id, -u.quantity, u.stock_qty, 'sale', v_bill.id, v_bill.cashier_id FROM upd u
  ), lines AS (
    INSERT INTO bill_items (bill_id, item_id, item_name, sku, unit, unit_price, quantity, line_total, discount_kind, discount_value, discount_reason,
      line_discount, bill_discount_share, tax_rate_id, tax_rate_name, tax_rate_percent, taxable_amount, tax_amount, charged_total, category, unit_cost)
    SELECT v_bill.id, w.item_id, w.item_name, w.sku, w.unit, w.unit_price, w.quantity, w.line_total, w.discount_kind, w.discount_value, w.discount_reason,
      w.line_discount, w.bill_discount_share, w.tax_rate_id, w.tax_rate_name, w.tax_rate_percent, w.taxable_amount, w.tax_amount, w.charged_total, w.category, w.unit_cost
      FROM want w JOIN upd u ON u.id = w.item_id ORDER BY w.pos
    RETURNING id, item_id
  ), pays AS (
    INSERT INTO bill_payments (bill_id, position, method, amount, tendered, change, label, reference)
    SELECT v_bill.id, p.position, p.method, p.amount, p.tendered, p.change, p.label, p.reference
      FROM jsonb_populate_recordset(NULL::bill_payments, p_payments) p ORDER BY p.position
    RETURNING id, position
  )
  SELECT (SELECT array_agg(id ORDER BY id) FROM lines), (SELECT array_agg(item_id ORDER BY id) FROM lines), (SELECT array_agg(id ORDER BY position) FROM pays)
    INTO v_line_ids, v_line_item_ids, v_payment_ids;
  IF coalesce(cardinality(v_line_ids), 0) <> jsonb_array_length(p_lines) THEN
    RAISE EXCEPTION 'stock changed under a held lock'; -- a bug, not a user error: the whole sale rolls back
  END IF;

  RETURN QUERY SELECT v_bill.id, v_bill.created_at, v_shift, v_line_ids, v_line_item_ids, coalesce(v_payment_ids, '{}');
END $$;
