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
