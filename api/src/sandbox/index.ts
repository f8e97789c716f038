// The GraphQL sandbox: GraphiQL on GET /graphql for browsers (Apollo serves
// our page as its landing page), its bundle under /graphiql/<build key>/.
// Everything comes from node_modules through this server: it works offline.
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { HttpError } from "../http/errors.ts";
import { bundleKey, ensureBundle, type Bundle } from "./bundle.ts";
import { EXAMPLE_TABS } from "./examples.ts";

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".ttf": "font/ttf",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
};

export const SANDBOX_ASSETS = "/graphiql";

export interface Sandbox {
  /** The HTML page that opens GraphiQL against `endpoint`. */
  page(): string;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

export function createSandbox(opts: { endpoint: string; cacheDir?: string; log?: (m: string) => void }): Sandbox {
  const log = opts.log ?? (() => {});
  const key = bundleKey();
  const assets = `${SANDBOX_ASSETS}/${key}`;
  let building: Promise<Bundle> | undefined;
  const bundle = () =>
    (building ??= ensureBundle(opts.cacheDir, log).catch((err: unknown) => {
      building = undefined; // let the next request try again
      throw err;
    }));

  // JSON inside <script>: "<" escaped so no value can close the tag.
  const config = JSON.stringify({ endpoint: opts.endpoint, assets, tabs: EXAMPLE_TABS }).replace(/</g, "\\u003c");
  const html = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>StoreLite GraphQL sandbox</title>
  <link rel="stylesheet" href="${assets}/graphiql.css">
  <style>html, body, #graphiql { height: 100%; margin: 0; } #graphiql > p { font: 16px system-ui, sans-serif; padding: 2rem; }</style>
</head>
<body>
  <div id="graphiql"><p>Loading the GraphQL sandbox… (the first start bundles it, a few seconds)</p></div>
  <script id="sandbox-config" type="application/json">${config}</script>
  <script type="module" src="${assets}/graphiql.js"></script>
</body>
</html>
`;

  return {
    page: () => html,
    async handle(req, res, url) {
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.setHeader("allow", "GET, HEAD");
        throw new HttpError(405, "METHOD_NOT_ALLOWED", `${req.method} is not allowed on ${url.pathname}; use GET`);
      }
      if (url.pathname === SANDBOX_ASSETS || url.pathname === `${SANDBOX_ASSETS}/`) {
        res.writeHead(302, { location: opts.endpoint }).end();
        return;
      }
      const [, requestedKey, name, ...rest] = url.pathname.slice(SANDBOX_ASSETS.length).split("/");
      if (requestedKey !== key || !name || rest.length) throw new HttpError(404, "NOT_FOUND", `No such file: ${url.pathname}`);
      const built = await bundle();
      const type = TYPES[path.extname(name)];
      // Only names the build wrote are served: nothing from the URL reaches the file system otherwise.
      if (!built.files.has(name) || !type) throw new HttpError(404, "NOT_FOUND", `No such file: ${url.pathname}`);
      const body = await readFile(path.join(built.dir, name));
      res.writeHead(200, { "content-type": type, "content-length": body.length, "cache-control": "public, max-age=31536000, immutable" });
      res.end(body);
    },
  };
}
