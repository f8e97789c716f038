// The baseline for bench:reads, run as its own process like the API: a bare
// node:http server that calls the same domain function (listItems) on the same
// pool and writes the same JSON the GraphQL query returns — everything but
// GraphQL. GET /items?first=N; /items-signed-in?first=N checks the request's
// credentials first, as the API does; GET /static?first=N answers with bytes
// serialized once (the HTTP floor: no database, no serialization).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { connectDatabase } from "../../api/src/db/database.ts";
import { systemActor } from "../../api/src/domain/access.ts";
import { listItems } from "../../api/src/domain/items.ts";
import { authenticateRequest } from "../../api/src/http/auth.ts";

const db = connectDatabase(process.env.DATABASE_URL!, Number(process.env.STORELITE_DB_POOL_SIZE ?? 10));
const ctx = { db, actor: systemActor("bench") };

async function itemsJson(first: number): Promise<string> {
  const page = await listItems(ctx, { first });
  // Apollo ends its JSON with a newline: so do we, to send the same bytes.
  return `${JSON.stringify({
    data: {
      items: {
        nodes: page.nodes.map((i) => ({
          id: i.id,
          name: i.name,
          sku: i.sku,
          category: i.category,
          unit: i.unit,
          unitPrice: i.unitPrice.toFixed(2),
          stockQty: i.stockQty.toFixed(3),
          isActive: i.isActive,
        })),
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
      },
    },
  })}\n`;
}

const staticBodies = new Map<number, string>();
const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? "/", "http://localhost");
    const first = Number(url.searchParams.get("first") ?? 50);
    let body: string;
    if (url.pathname === "/items") body = await itemsJson(first);
    else if (url.pathname === "/items-signed-in") {
      // The same, after the API's own credential check (one session lookup): what
      // every API request pays before GraphQL starts.
      if ((await authenticateRequest(db, req)).actor.kind !== "staff") {
        res.writeHead(401).end();
        return;
      }
      body = await itemsJson(first);
    }
    else if (url.pathname === "/static") {
      if (!staticBodies.has(first)) staticBodies.set(first, await itemsJson(first));
      body = staticBodies.get(first)!;
    } else if (url.pathname === "/health") body = "{}";
    else {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
    res.end(body);
  } catch (err) {
    res.writeHead(500).end(String(err));
  }
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), "127.0.0.1", () => {
  console.log(`plain server on ${(server.address() as AddressInfo).port}`);
});
const stop = () => {
  server.close();
  server.closeAllConnections();
  void db.close().finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
