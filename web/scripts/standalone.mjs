// Runs the web app's Next.js standalone server (web/.next/standalone, written by
// `next build`). Started by serve.ts with an IPC channel: when whoever started
// it goes away (the supervisor was killed), the channel closes and it stops too
// rather than holding its port for nobody.
import path from "node:path";
import { pathToFileURL } from "node:url";

if (process.send) process.on("disconnect", () => process.kill(process.pid, "SIGTERM"));
// StoreLite's names for where to listen (PORT is the API's); Next's server reads PORT and HOSTNAME.
process.env.PORT = process.env.WEB_PORT || "3000";
process.env.HOSTNAME = process.env.HOST || "127.0.0.1";
await import(pathToFileURL(path.join(import.meta.dirname, "..", ".next", "standalone", "web", "server.js")).href);
