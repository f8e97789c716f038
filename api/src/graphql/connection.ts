// Cursor connections (Relay-style edges + nodes + pageInfo) over a service Page.
import type { Page } from "../domain/pagination.ts";
import { builder } from "./builder.ts";

const PageInfo = builder.objectRef<Page<unknown>>("PageInfo").implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean("hasNextPage"),
    endCursor: t.exposeString("endCursor", { nullable: true, description: "Pass as `after` to get the next page." }),
  }),
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Pothos output ref
export function connectionType<T>(name: string, node: any) {
  const Edge = builder.objectRef<{ cursor: string; node: T }>(`${name}Edge`).implement({
    fields: (t) => ({
      cursor: t.exposeString("cursor"),
      node: t.field({ type: node, resolve: (e) => e.node as never }),
    }),
  });
  return builder.objectRef<Page<T>>(`${name}Connection`).implement({
    fields: (t) => ({
      edges: t.field({ type: [Edge], resolve: (p) => p.nodes.map((n, i) => ({ node: n, cursor: p.cursors[i]! })) }),
      nodes: t.field({ type: [node], resolve: (p) => p.nodes as never }),
      pageInfo: t.field({ type: PageInfo, resolve: (p) => p }),
    }),
  });
}
