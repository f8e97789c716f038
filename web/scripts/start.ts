// `npm start` (root): the API (api/src/main.ts, which opens the database) as
// one child process and the web app (`next start`, built first when its build
// is missing or stale) as another, pointed at that API. Ctrl-C stops both; the
// API keeps its own clean shutdown of the database. STORELITE_WEB=off runs the API only.
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { loadEnv } from "@storelite/api/env";
import { lanAddresses } from "@storelite/api/http/edge";
import { buildIfStale, serveWeb, webDir, webPort, type WebServer } from "./serve.ts";

const apiDir = path.resolve(webDir, "..", "api");

let stop: (code: number) => Promise<void> = async (code) => process.exit(code);

async function main() {
  // The same settings check the API does, so a bad value stops us before anything starts.
  const env = loadEnv();
  const withWeb = !/^(off|false|0|no)$/i.test(process.env.STORELITE_WEB ?? "");
  const port = withWeb ? webPort() : 0;
  if (withWeb && env.PORT === 0) throw new Error("PORT=0 (any free port) cannot be combined with the web app; set PORT, or STORELITE_WEB=off.");
  // A busy WEB_PORT is found out now, before the database and the API start for nothing.
  if (withWeb && !(await portIsFree(env.HOST, port))) throw new Error(`Port ${port} is already in use; set WEB_PORT to another port.`);

  const api = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: apiDir, stdio: "inherit" });
  const apiExited = new Promise<number>((resolve) => api.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));

  let web: WebServer | null = null;
  let stopping = false;
  stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await web?.stop();
    if (api.exitCode === null && api.signalCode === null) api.kill("SIGINT");
    process.exit(Math.max(code, await apiExited));
  };
  // From a terminal, Ctrl-C reaches every process in the group; a signal sent
  // to this process alone is passed on by stop().
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  void apiExited.then((code) => stop(code)); // the API failed to start or stopped: so do we

  if (!withWeb) return;
  const host = env.HOST;
  // Listening on every address (HOST=0.0.0.0, a tablet on the shop's Wi-Fi): this machine
  // still reaches its own API over loopback, which the API's Host allow-list accepts.
  const wildcard = host === "0.0.0.0" || host === "::";
  const apiHost = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
  const apiUrl = `http://${apiHost.includes(":") ? `[${apiHost}]` : apiHost}:${env.PORT}`;
  // API first (its banner stays readable), then the build when needed, then the web server.
  await waitForApi(apiUrl);
  await buildIfStale((m) => console.log(m));
  if (stopping) return;
  web = await serveWeb({ apiUrl, host, port });
  console.log("");
  console.log(`  Web app       ${wildcard ? `http://127.0.0.1:${port}` : web.url}/   (/pos billing, /admin inventory, /bills, /agent assistant)`);
  if (wildcard) {
    for (const address of lanAddresses()) console.log(`  On the network http://${address}:${port}/`);
    console.log("                (other names: add them to STORELITE_ALLOWED_HOSTS; see \"On the shop's network\" in the README)");
  }
  console.log("  MCP server    npm run -s mcp (stdio) or npm run mcp:http (http://127.0.0.1:4100/mcp)");
  console.log("  Console       npm run cli");
}

function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

async function waitForApi(apiUrl: string) {
  for (;;) {
    try {
      if ((await fetch(`${apiUrl}/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

main().catch(async (err) => {
  console.error(err instanceof Error ? err.message : err);
  await stop(1);
});
