// Sending one alert message: email over SMTP (nodemailer) or a webhook POST
// whose body is signed with HMAC-SHA256 under the channel's secret. A failure
// throws, and the worker retries with backoff.
import crypto from "node:crypto";
import nodemailer, { type Transporter } from "nodemailer";

export interface AlertMessage {
  /** One line for a subject or a chat message. */
  subject: string;
  /** Plain text body. */
  text: string;
  /** The structured content of a JSON webhook. */
  data: Record<string, unknown>;
}

export interface ChannelTarget {
  kind: "email" | "webhook";
  target: string;
  format: "json" | "slack";
  secret: string | null;
}

export interface SenderSettings {
  /** smtp://user:pass@host:port or smtps://... (STORELITE_SMTP_URL). */
  smtpUrl?: string;
  /** The From address (STORELITE_SMTP_FROM). */
  from: string;
  /** How long one webhook call may take. */
  timeoutMs?: number;
}

export const SIGNATURE_HEADER = "x-storelite-signature";
export const DELIVERY_HEADER = "x-storelite-delivery";

/** The signature a receiver recomputes: "sha256=" + hex HMAC-SHA256 of the raw body. */
export const sign = (secret: string, body: string) => `sha256=${crypto.createHmac("sha256", secret).update(body).digest("hex")}`;

let transports = new Map<string, Transporter>();

export async function sendAlert(channel: ChannelTarget, message: AlertMessage, deliveryId: number, settings: SenderSettings): Promise<void> {
  if (channel.kind === "email") {
    if (!settings.smtpUrl) throw new Error("no SMTP server configured: set STORELITE_SMTP_URL (e.g. smtp://mail.example.com:587)");
    let transport = transports.get(settings.smtpUrl);
    if (!transport) transports.set(settings.smtpUrl, (transport = nodemailer.createTransport(settings.smtpUrl)));
    await transport.sendMail({
      from: settings.from,
      to: channel.target,
      subject: message.subject,
      text: message.text,
      headers: { "X-StoreLite-Delivery": String(deliveryId) },
    });
    return;
  }
  const body = JSON.stringify(channel.format === "slack" ? { text: `${message.subject}\n${message.text}` } : { ...message.data, subject: message.subject, text: message.text, deliveryId });
  const headers: Record<string, string> = { "content-type": "application/json", [DELIVERY_HEADER]: String(deliveryId), "user-agent": "StoreLite-Alerts" };
  if (channel.secret) headers[SIGNATURE_HEADER] = sign(channel.secret, body);
  const res = await fetch(channel.target, { method: "POST", headers, body, signal: AbortSignal.timeout(settings.timeoutMs ?? 10_000), redirect: "error" });
  await res.arrayBuffer().catch(() => {});
  if (!res.ok) throw new Error(`webhook answered ${res.status} ${res.statusText}`);
}

/** Closes pooled SMTP connections (on shutdown). */
export function closeTransports() {
  for (const t of transports.values()) t.close();
  transports = new Map();
}
