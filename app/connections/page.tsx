// /connections: named S3 connections (create, edit, delete, Test). Secrets stay on the server.
import { ConnectionsPage } from "@/components/connections/connections-page";

export default function Page() {
  return <ConnectionsPage />;
}
