// Alert channels (MANAGE_SETTINGS) and the record of deliveries.
import {
  CHANNEL_FORMATS,
  CHANNEL_KINDS,
  CHANNEL_MODES,
  createAlertChannel,
  deleteAlertChannel,
  listAlertChannels,
  listAlertDeliveries,
  updateAlertChannel,
  type AlertChannel,
  type AlertDelivery,
} from "../../domain/alerts.ts";
import { NotFoundError, ValidationError } from "../../domain/errors.ts";
import { builder } from "../builder.ts";

const KindEnum = builder.enumType("AlertChannelKind", { values: CHANNEL_KINDS });
const FormatEnum = builder.enumType("AlertChannelFormat", { description: "Webhook body: JSON (StoreLite's fields) or SLACK ({text}, for incoming webhooks).", values: CHANNEL_FORMATS });
const ModeEnum = builder.enumType("AlertChannelMode", { description: "EACH alert as it is raised, or one DIGEST a day at digestTime.", values: CHANNEL_MODES });
const DeliveryStatusEnum = builder.enumType("AlertDeliveryStatus", { values: ["PENDING", "SENT", "FAILED"] as const });

const AlertChannelRef = builder.objectRef<AlertChannel>("AlertChannel").implement({
  description: "Where low-stock alerts are sent.",
  fields: (t) => ({
    id: t.exposeInt("id"),
    kind: t.field({ type: KindEnum, resolve: (c) => c.kind }),
    target: t.exposeString("target", { description: "The email address or webhook URL." }),
    format: t.field({ type: FormatEnum, resolve: (c) => c.format }),
    hasSecret: t.exposeBoolean("hasSecret", { description: "Webhooks: signed with HMAC-SHA256 (X-StoreLite-Signature: sha256=<hex>). The secret is never shown." }),
    mode: t.field({ type: ModeEnum, resolve: (c) => c.mode }),
    digestTime: t.exposeString("digestTime", { nullable: true, description: "DIGEST: HH:MM in the shop's time zone." }),
    enabled: t.exposeBoolean("enabled"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

const AlertDeliveryRef = builder.objectRef<AlertDelivery>("AlertDelivery").implement({
  description: "One alert (or day's digest) sent to one channel; PENDING with lastError is being retried.",
  fields: (t) => ({
    id: t.exposeInt("id"),
    channelId: t.exposeInt("channelId"),
    channelKind: t.field({ type: KindEnum, resolve: (d) => d.channelKind }),
    channelTarget: t.exposeString("channelTarget"),
    alertId: t.exposeInt("alertId", { nullable: true }),
    digestDate: t.exposeString("digestDate", { nullable: true }),
    status: t.field({ type: DeliveryStatusEnum, resolve: (d) => d.status }),
    attempts: t.exposeInt("attempts"),
    lastError: t.exposeString("lastError", { nullable: true }),
    sentAt: t.expose("sentAt", { type: "DateTime", nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

builder.queryFields((t) => ({
  alertChannels: t.field({ type: [AlertChannelRef], description: "The owner's alert channels (needs MANAGE_SETTINGS).", resolve: (_, __, ctx) => listAlertChannels(ctx) }),
  alertDeliveries: t.field({
    type: [AlertDeliveryRef],
    description: "Alert deliveries, newest first; onlyProblems: failed ones and those being retried.",
    args: { onlyProblems: t.arg.boolean({ required: false, defaultValue: false }), first: t.arg.int({ required: false, defaultValue: 50 }) },
    resolve: (_, args, ctx) => listAlertDeliveries(ctx, args),
  }),
}));

const ChannelInput = builder.inputType("AlertChannelInput", {
  description: "On update only the fields given change.",
  fields: (t) => ({
    kind: t.field({ type: KindEnum, required: false }),
    target: t.string({ required: false, description: "An email address (EMAIL) or an http(s) URL (WEBHOOK)." }),
    format: t.field({ type: FormatEnum, required: false }),
    secret: t.string({ required: false, description: "Webhook signing secret, 16–200 characters; null removes it." }),
    mode: t.field({ type: ModeEnum, required: false }),
    digestTime: t.string({ required: false, description: "HH:MM, shop time; required for DIGEST." }),
    enabled: t.boolean({ required: false }),
  }),
});

const named = (name: string) => ({
  types: [ValidationError, NotFoundError],
  result: { name: `${name}Success` },
  union: { name: `${name}Result` },
  dataField: { name: "channel" },
});

builder.mutationFields((t) => ({
  createAlertChannel: t.field({
    type: AlertChannelRef,
    errors: named("CreateAlertChannel"),
    args: { input: t.arg({ type: ChannelInput, required: true }) },
    resolve: (_, { input }, ctx) => createAlertChannel(ctx, input),
  }),
  updateAlertChannel: t.field({
    type: AlertChannelRef,
    errors: named("UpdateAlertChannel"),
    args: { id: t.arg.int({ required: true }), input: t.arg({ type: ChannelInput, required: true }) },
    resolve: (_, { id, input }, ctx) => updateAlertChannel(ctx, id, input),
  }),
  deleteAlertChannel: t.field({
    type: AlertChannelRef,
    errors: named("DeleteAlertChannel"),
    args: { id: t.arg.int({ required: true }) },
    resolve: (_, { id }, ctx) => deleteAlertChannel(ctx, id),
  }),
}));
