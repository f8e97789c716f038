// GraphQL documents the benches send: the same selections as the named
// operations in operations/ (what the web app and MCP tools send).
export const LIST_ITEMS = `query inventory_list_items($search: String, $category: String, $low_stock_below: Quantity, $include_inactive: Boolean = false, $first: Int = 20, $after: String) {
  items(search: $search, category: $category, lowStockBelow: $low_stock_below, includeInactive: $include_inactive, first: $first, after: $after) {
    nodes { id name sku category unit unitPrice stockQty isActive }
    pageInfo { hasNextPage endCursor }
  }
}`;

export function graphqlBody(operationName: string, query: string, variables: Record<string, unknown>): string {
  return JSON.stringify({ operationName, query, variables });
}

/** A 200 with data and no errors. */
export const graphqlDataOk = (status: number, body: string) => status === 200 && body.startsWith('{"data":') && !body.includes('"errors":');

// The selection of operations/billing_create_bill.graphql (what the POS and MCP send).
export const CREATE_BILL = `mutation billing_create_bill($customer_name: String, $store_name: String, $items: [BillLineInput!]!, $idempotency_key: String) {
  createBill(input: { customerName: $customer_name, storeName: $store_name, lines: $items, idempotencyKey: $idempotency_key }) {
    __typename
    ... on CreateBillSuccess { replayed bill { id createdAt customerName storeName lines { itemId itemName unit unitPrice quantity lineTotal } subtotal totalAmount } }
    ... on InsufficientStockError { itemId itemName unit requested available shortages { itemId itemName unit requested available } }
    ... on ItemInactiveError { itemId itemName }
    ... on IdempotencyKeyReusedError { idempotencyKey billId }
    ... on NotFoundError { entity id }
    ... on ValidationError { fieldErrors { path message } }
    ... on Error { message code }
  }
}`;
