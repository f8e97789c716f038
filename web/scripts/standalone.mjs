// Runs the web app's Next.js standalone server (web/.next/standalone, written by
// `next build`). Started by serve.ts with an IPC channel: when whoever started
// it goes away (the supervisor was killed), the channel closes and it stops too
// rather than holding its port for nobody.
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";

// The API limits sign-in attempts per client address, and for requests the web app
// forwards it reads that address from X-Forwarded-For. Next.js keeps a value the
// client sent itself, so whatever arrives in that header is replaced here by the
// address the request really comes from: nobody on the network chooses whose
// failed attempts count.
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, ...args) {
  const req = args[0];
  if (event === "request" && req instanceof http.IncomingMessage) req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "unknown";
  return emit.call(this, event, ...args);
};

if (process.send) process.on("disconnect", () => process.kill(process.pid, "SIGTERM"));
// StoreLite's names for where to listen (PORT is the API's); Next's server reads PORT and HOSTNAME.
process.env.PORT = process.env.WEB_PORT || "3000";
process.env.HOSTNAME = process.env.HOST || "127.0.0.1";
await import(pathToFileURL(path.join(import.meta.dirname, "..", ".next", "standalone", "web", "server.js")).href);
