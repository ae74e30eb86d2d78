// The audit trail: who changed or ran what, when. recordAudit is called by the code making the
// change, inside its transaction where it has one, so a change and its audit row land together.
// Never store a secret here (connection rows record the name and fields changed, not values).
import type { Prisma } from "@prisma/client";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import type { Db } from "../db";

type Client = Db | Prisma.TransactionClient;

export const AUDIT_ACTIONS = [
  "pipeline.create", "pipeline.import", "pipeline.save", "pipeline.rename", "pipeline.duplicate", "pipeline.delete", "pipeline.restore",
  "run.start", "run.retry", "run.cancel",
  "schedule.create", "schedule.update", "schedule.delete", "schedule.enable", "schedule.disable",
  "webhook.set", "webhook.delete",
  "connection.create", "connection.update", "connection.delete",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number] | `${string}.${string}`;

export interface AuditInput {
  /** e.g. "pipeline.save" */
  readonly action: AuditAction;
  /** pipeline | run | schedule | webhook | connection | user | workspace | setting */
  readonly targetType: string;
  readonly targetId: string;
  readonly pipelineId?: string | null;
  readonly version?: number | null;
  readonly runId?: string | null;
  readonly workspaceId?: string | null;
  readonly detail?: Record<string, unknown>;
  /** The exact script a run stores (Run.script). */
  readonly script?: string | null;
}

/**
 * Writes one audit row. Example:
 * await recordAudit(tx, actor, { action: "pipeline.save", targetType: "pipeline", targetId: id, pipelineId: id, version: 4 })
 */
export async function recordAudit(db: Client, actor: Actor, e: AuditInput): Promise<void> {
  await db.auditEvent.create({
    data: {
      actorId: actor.id,
      actorEmail: actor.email,
      action: e.action,
      targetType: e.targetType,
      targetId: e.targetId,
      pipelineId: e.pipelineId ?? null,
      version: e.version ?? null,
      runId: e.runId ?? null,
      workspaceId: e.workspaceId ?? null,
      detail: JSON.stringify(e.detail ?? {}),
      script: e.script ?? null,
    },
  });
}

export const AuditQuerySchema = z.object({
  pipelineId: z.string().max(200).optional(),
  actorId: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  /** The id of the last row of the previous page; rows older than it come next. */
  cursor: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.input<typeof AuditQuerySchema>;

export const AuditRowSchema = z.object({
  id: z.number(),
  at: z.string(),
  actorId: z.string(),
  actorEmail: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  workspaceId: z.string().nullable(),
  pipelineId: z.string().nullable(),
  version: z.number().nullable(),
  runId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  script: z.string().nullable(),
});
export const AuditPageSchema = z.object({ rows: z.array(AuditRowSchema), nextCursor: z.number().nullable() });
export type AuditPage = z.infer<typeof AuditPageSchema>;

function parseDetail(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Newest first, `limit` per page; nextCursor is null on the last page. */
export async function listAudit(db: Client, query: AuditQuery): Promise<AuditPage> {
  const q = AuditQuerySchema.parse(query);
  const rows = await db.auditEvent.findMany({
    where: {
      ...(q.pipelineId ? { pipelineId: q.pipelineId } : {}),
      ...(q.actorId ? { actorId: q.actorId } : {}),
      ...(q.action ? { action: q.action } : {}),
      ...(q.cursor ? { id: { lt: q.cursor } } : {}),
    },
    orderBy: { id: "desc" },
    take: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  return {
    rows: page.map((r) => ({ ...r, at: r.at.toISOString(), detail: parseDetail(r.detail) })),
    nextCursor: rows.length > q.limit ? page[page.length - 1].id : null,
  };
}
