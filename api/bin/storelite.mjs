#!/usr/bin/env node
// `storelite`: the console program. Runs its TypeScript source through tsx's
// loader, so it works straight from a checkout after `npm install` (no build step).
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
