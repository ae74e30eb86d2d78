// A random key kept in the data directory: created once (32 random bytes, hex, mode 0600) by
// whichever process gets there first, then read by every process.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** The key in <dataDir>/<name>, made on first use. Example: keyFile("data", "auth-secret").length === 64 */
export function keyFile(dataDir: string, name: string): string {
  const file = path.join(dataDir, name);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, randomBytes(32).toString("hex") + "\n", { mode: 0o600, flag: "wx" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e; // another process made it first
    }
  }
  return fs.readFileSync(file, "utf8").trim();
}
