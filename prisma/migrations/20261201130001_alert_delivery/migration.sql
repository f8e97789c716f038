-- Delivery of low-stock alerts: the owner's channels (email, webhook), and one
-- delivery row per alert and channel, written in the stock change's
-- transaction (an outbox). graphile-worker (schema graphile_worker, installed
-- by the worker at start) sends them; the trigger enqueues the job when that
-- schema exists, and the worker picks up pending rows at start otherwise.

-- CreateTable
CREATE TABLE "alert_channels" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "format" TEXT NOT NULL DEFAULT 'json',
    "secret" TEXT,
    "mode" TEXT NOT NULL DEFAULT 'each',
    "digest_time" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "last_digest_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_channels_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "alert_channels_kind_valid" CHECK ("kind" IN ('email', 'webhook')),
    CONSTRAINT "alert_channels_format_valid" CHECK ("format" IN ('json', 'slack')),
    CONSTRAINT "alert_channels_mode_valid" CHECK ("mode" IN ('each', 'digest')),
    CONSTRAINT "alert_channels_digest_time_valid" CHECK (("mode" = 'digest') = ("digest_time" IS NOT NULL) AND ("digest_time" IS NULL OR "digest_time" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'))
);

-- CreateTable
CREATE TABLE "alert_deliveries" (
    "id" SERIAL NOT NULL,
    "channel_id" INTEGER NOT NULL,
    "alert_id" INTEGER,
    "digest_date" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "sent_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_deliveries_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "alert_deliveries_status_valid" CHECK ("status" IN ('pending', 'sent', 'failed')),
    CONSTRAINT "alert_deliveries_one_subject" CHECK (("alert_id" IS NULL) <> ("digest_date" IS NULL))
);

-- CreateIndex
CREATE UNIQUE INDEX "alert_deliveries_alert_id_channel_id_key" ON "alert_deliveries"("alert_id", "channel_id");

-- CreateIndex
CREATE UNIQUE INDEX "alert_deliveries_channel_id_digest_date_key" ON "alert_deliveries"("channel_id", "digest_date");

-- CreateIndex
CREATE INDEX "alert_deliveries_status_idx" ON "alert_deliveries"("status");

-- AddForeignKey
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "alert_channels"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "stock_alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A raised alert gets one delivery per enabled per-alert channel, in the
-- same transaction; the job is queued only if the queue is installed, and a
-- queue failure never fails the sale (the pending row is picked up later).
CREATE FUNCTION "stock_alerts_enqueue"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  d RECORD;
BEGIN
  FOR d IN
    INSERT INTO alert_deliveries (channel_id, alert_id)
    SELECT c.id, NEW.id FROM alert_channels c WHERE c.enabled AND c.mode = 'each'
    RETURNING id
  LOOP
    IF to_regproc('graphile_worker.add_job') IS NOT NULL THEN
      BEGIN
        PERFORM graphile_worker.add_job('deliver_alert', json_build_object('deliveryId', d.id), job_key := 'delivery:' || d.id, max_attempts := 12);
      EXCEPTION WHEN others THEN
        RAISE WARNING 'alert delivery % not queued: %', d.id, SQLERRM;
      END;
    END IF;
  END LOOP;
  RETURN NULL;
END
$$;

CREATE TRIGGER "stock_alerts_enqueue"
AFTER INSERT ON "stock_alerts"
FOR EACH ROW EXECUTE FUNCTION "stock_alerts_enqueue"();

-- Queues a digest channel's next run at its time of day in the shop's time
-- zone (replacing any queued one); does nothing until the queue is installed
-- or when the channel is not an enabled digest. Returns the run time.
CREATE FUNCTION "schedule_alert_digest"(p_channel INTEGER, p_time_zone TEXT) RETURNS TIMESTAMPTZ
LANGUAGE plpgsql AS $$
DECLARE
  c RECORD;
  next_run TIMESTAMPTZ;
BEGIN
  SELECT * INTO c FROM alert_channels WHERE id = p_channel;
  IF NOT FOUND OR NOT c.enabled OR c.mode <> 'digest' OR to_regproc('graphile_worker.add_job') IS NULL THEN
    RETURN NULL;
  END IF;
  next_run := (date_trunc('day', now() AT TIME ZONE p_time_zone) + c.digest_time::time) AT TIME ZONE p_time_zone;
  IF next_run <= now() THEN
    next_run := (date_trunc('day', now() AT TIME ZONE p_time_zone) + interval '1 day' + c.digest_time::time) AT TIME ZONE p_time_zone;
  END IF;
  PERFORM graphile_worker.add_job('alert_digest', json_build_object('channelId', p_channel), run_at := next_run,
                                  job_key := 'digest:' || p_channel, job_key_mode := 'replace', max_attempts := 12);
  RETURN next_run;
END
$$;
