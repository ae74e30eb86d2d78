// The audit trail for admins: newest first, filtered by pipeline, actor or action, one page at a
// time (cursor = the id of the previous page's last row). server/audit/ writes the rows.
import { AuditPageSchema, AuditQuerySchema, listAudit } from "../../audit/audit";
import { publicProcedure, router } from "../trpc";

export const auditRouter = router({
  list: publicProcedure.input(AuditQuerySchema).output(AuditPageSchema).query(({ ctx, input }) => listAudit(ctx.db, input)),
});
