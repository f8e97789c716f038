-- The AI assistant's memory: agent sessions (conversation history item by
-- item, and a run paused for the user's approval) and ChatKit's threads and
-- thread items. Written by hand in Prisma's layout, like the init migration.

-- CreateTable
CREATE TABLE "agent_sessions" (
    "id" TEXT NOT NULL,
    "pending_state" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent_session_items" (
    "id" SERIAL NOT NULL,
    "session_id" TEXT NOT NULL,
    "item" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_session_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chatkit_threads" (
    "id" TEXT NOT NULL,
    "title" TEXT,
    "status" JSONB NOT NULL,
    "metadata" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chatkit_threads_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chatkit_items" (
    "id" TEXT NOT NULL,
    "thread_id" TEXT NOT NULL,
    "seq" SERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chatkit_items_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "agent_session_items_session_id_id_idx" ON "agent_session_items"("session_id", "id");

-- CreateIndex
CREATE INDEX "chatkit_threads_created_at_id_idx" ON "chatkit_threads"("created_at", "id");

-- CreateIndex
CREATE INDEX "chatkit_items_thread_id_seq_idx" ON "chatkit_items"("thread_id", "seq");

-- AddForeignKey
ALTER TABLE "agent_session_items" ADD CONSTRAINT "agent_session_items_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "agent_sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chatkit_items" ADD CONSTRAINT "chatkit_items_thread_id_fkey" FOREIGN KEY ("thread_id") REFERENCES "chatkit_threads"("id") ON DELETE CASCADE ON UPDATE CASCADE;
