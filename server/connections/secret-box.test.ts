// The secret box: AES-256-GCM round trip, tamper and wrong-key detection, key parsing, and the
// embedded-mode key file (generated once, mode 0600, reused).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../storage/testing";
import { open, parseKey, seal, secretKey } from "./secret-box";

describe("secret box", () => {
  const key = parseKey("ab".repeat(32));

  it("round-trips and never contains the plaintext", () => {
    const sealed = seal(key, '{"secretAccessKey":"hunter2-xyz"}');
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain("hunter2");
    expect(open(key, sealed)).toBe('{"secretAccessKey":"hunter2-xyz"}');
    expect(seal(key, "same")).not.toBe(seal(key, "same")); // fresh IV each time
  });

  it("refuses a wrong key and a tampered ciphertext", () => {
    const sealed = seal(key, "payload");
    expect(() => open(parseKey("cd".repeat(32)), sealed)).toThrow(/ETL_SECRET_KEY differs/);
    const parts = sealed.split(".");
    parts[3] = Buffer.from("tampered").toString("base64url");
    expect(() => open(key, parts.join("."))).toThrow();
  });

  it("parses hex and base64 keys of 32 bytes only", () => {
    expect(parseKey(Buffer.alloc(32, 7).toString("base64")).length).toBe(32);
    expect(() => parseKey("abc")).toThrow(/32 bytes/);
  });

  it("generates the embedded key file once, readable by the owner only", () => {
    const t = tempDir("etl-key-");
    try {
      const a = secretKey({ dataDir: t.dir });
      const file = path.join(t.dir, "secret-key");
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(secretKey({ dataDir: t.dir }).equals(a)).toBe(true);
      expect(secretKey({ dataDir: t.dir, configured: "ef".repeat(32) }).equals(a)).toBe(false);
    } finally {
      t.cleanup();
    }
  });
});
