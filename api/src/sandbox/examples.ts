// The operations the sandbox opens with, one tab each (GraphiQL keeps the
// user's own tabs in the browser after the first visit).

const searchItems = `# Search the catalogue by name or SKU (any case), A–Z.
# Try another search word, a category ("Grocery"), or lowStockBelow: "5".
query SearchItems($search: String, $category: String, $first: Int = 10) {
  items(search: $search, category: $category, first: $first) {
    nodes {
      id
      name
      category
      unit
      unitPrice
      stockQty
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
`;

const createBill = `# Sell: one transaction that checks and takes the stock, or does nothing.
# Put item ids from SearchItems in the variables. Add "idempotencyKey" to the
# input to make retries safe: the same key and request return the same bill.
mutation CreateBill($input: CreateBillInput!) {
  createBill(input: $input) {
    __typename
    ... on CreateBillSuccess {
      replayed
      bill {
        id
        customerName
        lines {
          itemName
          unit
          quantity
          unitPrice
          lineTotal
        }
        subtotal
        totalAmount
      }
    }
    ... on InsufficientStockError {
      itemName
      requested
      available
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
    ... on Error {
      code
      message
    }
  }
}
`;

const recentBills = `# Bills newest first; from/to take a date ("2026-11-25") or a date-time.
query RecentBills($from: String, $to: String) {
  bills(from: $from, to: $to, first: 10) {
    nodes {
      id
      createdAt
      customerName
      storeName
      totalAmount
    }
  }
}
`;

const json = (value: unknown) => JSON.stringify(value, null, 2);

export const EXAMPLE_TABS = [
  { query: searchItems, variables: json({ search: "sugar" }) },
  {
    query: createBill,
    variables: json({
      input: {
        customerName: "Ali",
        storeName: "Utility Store #1",
        lines: [
          { itemId: 1, quantity: "2" },
          { itemId: 5, quantity: "1.5" },
        ],
      },
    }),
  },
  { query: recentBills, variables: json({}) },
];
