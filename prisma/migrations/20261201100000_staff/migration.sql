-- Who may do what: staff accounts with roles, server-side sessions (web and POS
-- terminal), API tokens, sign-in attempts for rate limiting, the one-time owner
-- setup token, who made each bill and stock movement, and the item change history.
-- Secrets (passwords, PINs, session and API tokens) are stored only as hashes.

-- CreateEnum
CREATE TYPE "staff_role" AS ENUM ('OWNER', 'MANAGER', 'CASHIER');

-- CreateEnum
CREATE TYPE "session_kind" AS ENUM ('web', 'terminal');

-- CreateTable
CREATE TABLE "staff" (
    "id" SERIAL NOT NULL,
    "display_name" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "role" "staff_role" NOT NULL,
    "password_hash" TEXT NOT NULL,
    "pin_hash" TEXT,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "failed_attempts" INTEGER NOT NULL DEFAULT 0,
    "locked_until" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "staff_pkey" PRIMARY KEY ("id"),
    -- Usernames are stored lower-case, so uniqueness is case-insensitive.
    CONSTRAINT "staff_username_lower" CHECK ("username" = lower("username") AND length("username") BETWEEN 1 AND 40),
    CONSTRAINT "staff_failed_attempts_nonneg" CHECK ("failed_attempts" >= 0)
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" SERIAL NOT NULL,
    "token_hash" TEXT NOT NULL,
    "kind" "session_kind" NOT NULL,
    "staff_id" INTEGER NOT NULL,
    "terminal_name" TEXT,
    "active_staff_id" INTEGER,
    "unlocked_until" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(6) NOT NULL,
    "revoked_at" TIMESTAMPTZ(6),

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "scopes" TEXT[] NOT NULL,
    "created_by" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(6),
    "last_used_at" TIMESTAMPTZ(6),
    "revoked_at" TIMESTAMPTZ(6),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sign_in_attempts" (
    "id" SERIAL NOT NULL,
    "client_address" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "succeeded" BOOLEAN NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sign_in_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "setup_tokens" (
    "id" SERIAL NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "used_at" TIMESTAMPTZ(6),

    CONSTRAINT "setup_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "item_changes" (
    "id" SERIAL NOT NULL,
    "item_id" INTEGER NOT NULL,
    "field" TEXT NOT NULL,
    "before" TEXT,
    "after" TEXT,
    "actor_id" INTEGER,
    "actor_name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "item_changes_pkey" PRIMARY KEY ("id")
);

-- AlterTable: who made it (null on rows from before staff accounts existed)
ALTER TABLE "bills" ADD COLUMN "cashier_id" INTEGER;
ALTER TABLE "bills" ADD COLUMN "cashier_name" TEXT;
ALTER TABLE "stock_movements" ADD COLUMN "actor_id" INTEGER;

-- AlterTable: a conversation or thread belongs to whoever started it
ALTER TABLE "agent_sessions" ADD COLUMN "owner" TEXT;
ALTER TABLE "chatkit_threads" ADD COLUMN "owner" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "staff_username_key" ON "staff"("username");
CREATE UNIQUE INDEX "sessions_token_hash_key" ON "sessions"("token_hash");
CREATE INDEX "sessions_staff_id_idx" ON "sessions"("staff_id");
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");
CREATE INDEX "api_tokens_created_by_idx" ON "api_tokens"("created_by");
CREATE INDEX "sign_in_attempts_client_address_created_at_idx" ON "sign_in_attempts"("client_address", "created_at");
CREATE UNIQUE INDEX "setup_tokens_token_hash_key" ON "setup_tokens"("token_hash");
CREATE INDEX "item_changes_item_id_id_idx" ON "item_changes"("item_id", "id");
CREATE INDEX "bills_cashier_id_created_at_idx" ON "bills"("cashier_id", "created_at");
CREATE INDEX "chatkit_threads_owner_created_at_idx" ON "chatkit_threads"("owner", "created_at");

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_staff_id_fkey" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_active_staff_id_fkey" FOREIGN KEY ("active_staff_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "item_changes" ADD CONSTRAINT "item_changes_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "items"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "item_changes" ADD CONSTRAINT "item_changes_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "bills" ADD CONSTRAINT "bills_cashier_id_fkey" FOREIGN KEY ("cashier_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;
