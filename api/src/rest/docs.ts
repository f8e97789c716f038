// Swagger UI at /docs, served from the swagger-ui-dist package on this server:
// nothing is fetched from the internet, and the online spec validator is off.
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { HttpError } from "../http/errors.ts";

const dist = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

// Only these files are served: no path from the URL ever reaches the file system.
const FILES: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>StoreLite REST API — Swagger UI</title>
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  validatorUrl: null,
  tryItOutEnabled: true,
  displayRequestDuration: true,
});
`;

function send(res: ServerResponse, type: string, body: string | Buffer, cache: string) {
  res.writeHead(200, { "content-type": type, "content-length": Buffer.byteLength(body), "cache-control": cache });
  res.end(body);
}

export async function handleDocs(req: IncomingMessage, res: ServerResponse, url: URL) {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("allow", "GET, HEAD");
    throw new HttpError(405, "METHOD_NOT_ALLOWED", `${req.method} is not allowed on ${url.pathname}; use GET`);
  }
  const name = url.pathname.replace(/^\/docs\/?/, "");
  if (name === "") return send(res, "text/html; charset=utf-8", PAGE, "no-cache");
  if (name === "init.js") return send(res, "text/javascript; charset=utf-8", INIT, "no-cache");
  const type = FILES[name];
  if (!type) throw new HttpError(404, "NOT_FOUND", `No such file: ${url.pathname}`);
  send(res, type, await readFile(path.join(dist, name)), "public, max-age=3600");
}
