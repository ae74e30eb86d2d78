-- CreateTable
CREATE TABLE "Pipeline" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "document" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Pipeline_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PipelineVersion" (
    "id" SERIAL NOT NULL,
    "pipelineId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "document" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PipelineVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Run" (
    "id" TEXT NOT NULL,
    "pipelineId" TEXT NOT NULL,
    "pipelineVersion" INTEGER NOT NULL,
    "document" TEXT NOT NULL,
    "script" TEXT NOT NULL,
    "toNodeId" TEXT,
    "trigger" TEXT NOT NULL,
    "retryOf" TEXT,
    "startedBy" TEXT NOT NULL DEFAULT 'local',
    "state" TEXT NOT NULL DEFAULT 'queued',
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "submittedAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "errorCode" TEXT,
    "errorNodeId" TEXT,
    "errorMessage" TEXT,
    "errorUdfLine" INTEGER,
    "errorTraceback" TEXT,
    "logTail" TEXT NOT NULL DEFAULT '',
    "eventsOffset" INTEGER NOT NULL DEFAULT 0,
    "rayStatus" TEXT,
    "rayMessage" TEXT,
    "rowsWritten" TEXT,

    CONSTRAINT "Run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RunStage" (
    "id" SERIAL NOT NULL,
    "runId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "nodes" TEXT NOT NULL,
    "sink" TEXT,
    "state" TEXT NOT NULL,
    "rowsOut" BIGINT,
    "bytesOut" BIGINT,
    "startedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RunStage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Schedule" (
    "id" TEXT NOT NULL,
    "pipelineId" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "overlap" TEXT NOT NULL DEFAULT 'skip',
    "nextFireAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Schedule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScheduleFire" (
    "id" SERIAL NOT NULL,
    "scheduleId" TEXT NOT NULL,
    "slot" TIMESTAMP(3) NOT NULL,
    "firedAt" TIMESTAMP(3) NOT NULL,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "missedSlots" INTEGER NOT NULL DEFAULT 0,
    "outcome" TEXT NOT NULL DEFAULT 'claimed',
    "runId" TEXT,
    "message" TEXT,

    CONSTRAINT "ScheduleFire_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PipelineWebhook" (
    "pipelineId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "onSuccess" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PipelineWebhook_pkey" PRIMARY KEY ("pipelineId")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" SERIAL NOT NULL,
    "runId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Connection" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "endpoint" TEXT,
    "pathStyle" BOOLEAN NOT NULL DEFAULT false,
    "auth" TEXT NOT NULL DEFAULT 'keys',
    "secrets" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Connection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PipelineVersion_pipelineId_version_key" ON "PipelineVersion"("pipelineId", "version");

-- CreateIndex
CREATE INDEX "Run_pipelineId_createdAt_idx" ON "Run"("pipelineId", "createdAt");

-- CreateIndex
CREATE INDEX "Run_state_createdAt_idx" ON "Run"("state", "createdAt");

-- CreateIndex
CREATE INDEX "Run_createdAt_idx" ON "Run"("createdAt");

-- CreateIndex
CREATE INDEX "Run_trigger_createdAt_idx" ON "Run"("trigger", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "RunStage_runId_key_key" ON "RunStage"("runId", "key");

-- CreateIndex
CREATE INDEX "Schedule_pipelineId_idx" ON "Schedule"("pipelineId");

-- CreateIndex
CREATE INDEX "Schedule_enabled_nextFireAt_idx" ON "Schedule"("enabled", "nextFireAt");

-- CreateIndex
CREATE INDEX "ScheduleFire_firedAt_idx" ON "ScheduleFire"("firedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ScheduleFire_scheduleId_slot_key" ON "ScheduleFire"("scheduleId", "slot");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_runId_key" ON "WebhookDelivery"("runId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_state_nextAttemptAt_idx" ON "WebhookDelivery"("state", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "Connection_name_key" ON "Connection"("name");

-- AddForeignKey
ALTER TABLE "PipelineVersion" ADD CONSTRAINT "PipelineVersion_pipelineId_fkey" FOREIGN KEY ("pipelineId") REFERENCES "Pipeline"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunStage" ADD CONSTRAINT "RunStage_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Schedule" ADD CONSTRAINT "Schedule_pipelineId_fkey" FOREIGN KEY ("pipelineId") REFERENCES "Pipeline"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScheduleFire" ADD CONSTRAINT "ScheduleFire_scheduleId_fkey" FOREIGN KEY ("scheduleId") REFERENCES "Schedule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PipelineWebhook" ADD CONSTRAINT "PipelineWebhook_pipelineId_fkey" FOREIGN KEY ("pipelineId") REFERENCES "Pipeline"("id") ON DELETE CASCADE ON UPDATE CASCADE;

