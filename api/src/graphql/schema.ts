// The whole GraphQL schema: importing each area registers its types.
import { builder } from "./builder.ts";
import "./types/errors.ts";
import "./types/items.ts";
import "./types/bills.ts";
import "./types/backup.ts";
import "./types/imports.ts";
import "./types/staff.ts";
import "./types/sale.ts";
import "./types/settings.ts";
import "./types/thresholds.ts";
import "./types/reports.ts";
import "./types/alerts.ts";
import "./types/returns.ts";
import "./types/shifts.ts";

export const schema = builder.toSchema({ sortSchema: false });
