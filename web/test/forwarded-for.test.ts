// Sign-in attempts through the web app count against the address they really come
// from: a client cannot pick another address with its own X-Forwarded-For.
import http from "node:http";
import { expect, it } from "vitest";
import { useWebApp } from "./harness.ts";

const app = useWebApp();

function post(path: string, body: string, headers: Record<string, string>): Promise<number> {
  const { port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path, method: "POST", headers: { "content-type": "application/json", ...headers } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode!));
    });
    req.on("error", reject);
    req.end(body);
  });
}

it("records a failed sign-in through the web app under the real client address, not the one the client claims", async () => {
  const query = JSON.stringify({ query: 'mutation { signIn(username: "nobody-xff", password: "wrong-password") { __typename } }' });
  expect(await post("/graphql", query, { "x-forwarded-for": "203.0.113.7", "x-storelite-csrf": "1" })).toBe(200);
  const rows = await app.sql<{ client_address: string }>("SELECT client_address FROM sign_in_attempts WHERE username = 'nobody-xff'");
  expect(rows.map((r) => r.client_address)).toEqual(["127.0.0.1"]);
});
