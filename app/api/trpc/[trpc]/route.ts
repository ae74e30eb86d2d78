// tRPC over HTTP for the App Router; the request checks (body size, JSON only, no cross-site
// mutations) and the error formatting live in server/api/handler.ts.
import { createTrpcHandler } from "@/server/api/handler";

export const dynamic = "force-dynamic";

const handler = createTrpcHandler();

export { handler as GET, handler as POST };
