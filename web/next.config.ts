// Next.js config for the StoreLite web app. The browser reaches the API
// same-origin through src/app/graphql/route.ts (see there for why that is a
// route handler rather than a `rewrites()` entry).
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");

const config: NextConfig = {
  // npm workspaces hoist node_modules to the monorepo root.
  turbopack: { root },
  outputFileTracingRoot: root,
  // `npm run typecheck` (tsc) checks types as its own turbo task; doing it
  // again inside every `next build` would only double the build time.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  output: "standalone",
  reactStrictMode: true,
};

export default config;
