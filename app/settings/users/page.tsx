// /settings/users: the admin page — users and roles, workspaces, invitations, the sign-in switch.
import { UsersPage } from "@/components/auth/users-page";

export default function Page() {
  return <UsersPage />;
}
