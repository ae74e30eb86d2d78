-- CreateTable
CREATE TABLE "Run" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "submittedAt" DATETIME,
    "startedAt" DATETIME,
    "endedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    "errorCode" TEXT,
    "errorNodeId" TEXT,
    "errorMessage" TEXT,
    "errorUdfLine" INTEGER,
    "errorTraceback" TEXT,
    "logTail" TEXT NOT NULL DEFAULT '',
    "eventsOffset" INTEGER NOT NULL DEFAULT 0,
    "rayStatus" TEXT,
    "rayMessage" TEXT,
    "rowsWritten" TEXT
);

-- CreateTable
CREATE TABLE "RunStage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "runId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "nodes" TEXT NOT NULL,
    "sink" TEXT,
    "state" TEXT NOT NULL,
    "rowsOut" BIGINT,
    "bytesOut" BIGINT,
    "startedAt" DATETIME,
    "endedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "RunStage_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Run_pipelineId_createdAt_idx" ON "Run"("pipelineId", "createdAt");

-- CreateIndex
CREATE INDEX "Run_state_createdAt_idx" ON "Run"("state", "createdAt");

-- CreateIndex
CREATE INDEX "Run_createdAt_idx" ON "Run"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "RunStage_runId_key_key" ON "RunStage"("runId", "key");

