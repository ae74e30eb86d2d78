// The audit trail (admins): who changed or ran what, newest first.
import { AuditTable } from "@/components/audit/audit-table";

export default function AuditPage() {
  return <AuditTable />;
}
