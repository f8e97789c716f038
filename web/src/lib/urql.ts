// The urql client: POST to the same-origin /graphql (see app/graphql/route.ts)
// with graphcache, which normalises Item:<id> records so every screen shows
// the same stock, applies createBill optimistically and rolls it back on refusal.
import { Client, fetchExchange, mapExchange } from "urql";
import { cacheExchange, type Cache } from "@urql/exchange-graphcache";
import {
  ItemStockFragmentDoc,
  type CreateBillMutation,
  type CreateBillMutationVariables,
  type ItemStockFragment,
} from "../gql/graphql.ts";
import { parseSaleQuantity, subtractQuantity } from "./decimal.ts";

/** Types without an identity of their own: stored inside their parent. */
const embedded = [
  "ItemConnection",
  "ItemEdge",
  "BillConnection",
  "BillEdge",
  "PageInfo",
  "StockChange",
  "FieldError",
  "Shortage",
  "CreateItemSuccess",
  "UpdateItemSuccess",
  "SetItemActiveSuccess",
  "AdjustStockSuccess",
  "CountStockSuccess",
  "CreateBillSuccess",
  "BackupStatus",
  "ValidationError",
  "NotFoundError",
  "InsufficientStockError",
  "ItemInactiveError",
  "IdempotencyKeyReusedError",
  // Catalogue import (ImportJob has an id; the rest lives inside it).
  "ImportColumn",
  "ImportCounts",
  "ImportIssue",
  "ImportFieldChange",
  "ImportRow",
  "ImportRowPage",
  "UndoConflict",
  "UndoImport",
  "ApplyImportSuccess",
  "UndoImportSuccess",
  "ImportHasErrorsError",
  "ImportStateError",
  "ImportStaleError",
  "UndoConflictError",
  "NotAuthorizedError",
  "Me",
  "Session",
  "SignInSuccess",
  "TerminalSuccess",
  "UnlockTerminalSuccess",
  "InvalidCredentialsError",
  "TooManyAttemptsError",
  "SetupUnavailableError",
  "LastOwnerError",
  "CreateStaffSuccess",
  "UpdateStaffSuccess",
  "CreateApiTokenSuccess",
  "RevokeApiTokenSuccess",
  // Returns and voids (BillReturn and its lines have ids; these do not).
  "RefundPreview",
  "RefundPreviewLine",
  "RefundPreviewSuccess",
  "RefundPayment",
  "CreateReturnSuccess",
  "VoidBillSuccess",
  "ApprovalRequiredError",
  "BillVoidedError",
  "BillHasReturnsError",
  "UnknownBillLineError",
  "ReturnQuantityExceededError",
  "ReturnExcess",
  "RefundPaymentsMismatchError",
  "ReturnIdempotencyKeyReusedError",
  "VoidWindowClosedError",
  "ShiftNotOpenError",
  "RegisterRequiredError",
] as const;

/** Drops every cached `items` / `categories` / `bills` list so mounted lists refetch. */
function invalidateLists(cache: Cache, ...fields: ("items" | "categories" | "bills")[]) {
  for (const f of cache.inspectFields("Query")) {
    if ((fields as string[]).includes(f.fieldName)) cache.invalidate("Query", f.fieldName, f.arguments);
  }
}

function writeStock(cache: Cache, id: number, stockQty: string) {
  cache.writeFragment<ItemStockFragment>(ItemStockFragmentDoc, { __typename: "Item", id, stockQty });
}

type CreateBillResult = CreateBillMutation["createBill"];

export function createUrqlClient(url = "/graphql", opts: { onUnauthenticated?: () => void } = {}) {
  return new Client({
    url,
    // urql may send queries as GET; the API (Apollo, CSRF prevention) wants POST.
    preferGetMethod: false,
    requestPolicy: "cache-and-network",
    exchanges: [
      cacheExchange({
        keys: {
          ...Object.fromEntries(embedded.map((t) => [t, () => null])),
          Category: (c) => (typeof c.name === "string" ? c.name : null),
        },
        resolvers: {
          // A cart line asks for item(id); answer from the Item:<id> record when it is cached.
          Query: { item: (_parent, args) => ({ __typename: "Item", id: args.id as number }) },
        },
        optimistic: {
          // Until the server answers, the stock of every sold item drops by its quantity.
          // Graphcache keeps this in a separate layer and drops it when the answer arrives.
          createBill: (args, cache) => {
            const { input } = args as CreateBillMutationVariables;
            const lines = input.lines.flatMap((line, i) => {
              const stock = cache.resolve({ __typename: "Item", id: line.itemId }, "stockQty");
              const qty = parseSaleQuantity(String(line.quantity));
              if (typeof stock !== "string" || qty === null) return [];
              return [{
                __typename: "BillItem",
                id: -(i + 1),
                item: { __typename: "Item", id: line.itemId, stockQty: subtractQuantity(stock, qty) },
              }];
            });
            return { __typename: "CreateBillSuccess", replayed: false, bill: { __typename: "Bill", id: -1, lines } };
          },
        },
        updates: {
          Mutation: {
            createStaff: (_r, _a, cache) => cache.invalidate("Query", "staffMembers"),
            createApiToken: (_r, _a, cache) => cache.invalidate("Query", "apiTokens"),
            createItem: (_r, _a, cache) => invalidateLists(cache, "items", "categories"),
            updateItem: (_r, _a, cache) => invalidateLists(cache, "items", "categories"),
            setItemActive: (_r, _a, cache) => invalidateLists(cache, "items", "categories"),
            // Stock came back: every shown stock figure and list is read again.
            createReturn: (_r, _a, cache) => invalidateLists(cache, "items", "bills"),
            voidBill: (_r, _a, cache) => invalidateLists(cache, "items", "bills"),
            createBill: (result, _args, cache, info) => {
              if (info.optimistic) return;
              const answer = (result as Partial<CreateBillMutation>).createBill as CreateBillResult | undefined;
              if (answer?.__typename === "CreateBillSuccess") invalidateLists(cache, "bills");
              // Refused for stock: the optimistic layer is already gone; record what
              // the server says is really there so every screen shows it.
              if (answer?.__typename === "InsufficientStockError") {
                for (const s of answer.shortages) writeStock(cache, s.itemId, s.available);
              }
            },
          },
        },
      }),
      // The session ended or the terminal locked itself meanwhile: the screen asks who we are again.
      mapExchange({
        onError(error) {
          if (error.graphQLErrors.some((e) => e.extensions?.code === "UNAUTHENTICATED")) opts.onUnauthenticated?.();
        },
      }),
      fetchExchange,
    ],
  });
}
