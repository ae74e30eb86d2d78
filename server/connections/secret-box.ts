// Encrypts connection secrets at rest: AES-256-GCM under a 32-byte key from ETL_SECRET_KEY
// (64 hex chars or base64), or — embedded mode, no key configured — one generated once into
// <data dir>/secret-key with file mode 0600. Ciphertexts are "v1.<iv>.<tag>.<data>" (base64url).
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { keyFile } from "../key-file";

const VERSION = "v1";

/** Parses a configured key: 64 hex characters or base64(url) of 32 bytes. Throws otherwise. */
export function parseKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, "hex") : Buffer.from(t, "base64");
  if (key.length !== 32) throw new Error("ETL_SECRET_KEY must be 32 bytes: 64 hex characters or base64 (e.g. `openssl rand -hex 32`)");
  return key;
}

/**
 * The key connections are encrypted under: ETL_SECRET_KEY if set, else <dataDir>/secret-key
 * (created with mode 0600 on first use). Example: secretKey({ dataDir: "data" }).length === 32
 */
export function secretKey(o: { dataDir: string; configured?: string }): Buffer {
  if (o.configured) return parseKey(o.configured);
  return parseKey(keyFile(o.dataDir, "secret-key"));
}

/** Example: open(key, seal(key, '{"a":1}')) === '{"a":1}' */
export function seal(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(".");
}

/** Decrypts a `seal` output; throws if the key is wrong or the text was tampered with. */
export function open(key: Buffer, sealed: string): string {
  const [v, iv, tag, data] = sealed.split(".");
  if (v !== VERSION || !iv || !tag || data === undefined) throw new Error("not a sealed secret");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new Error("connection secrets cannot be decrypted: ETL_SECRET_KEY differs from the key they were saved under");
  }
}
