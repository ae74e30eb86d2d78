// Enforces the isomorphic boundary of server/pipeline: production files may import only
// relative paths that stay inside this folder, and "zod". (Only this test may use node:fs.)
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|cts)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  });
}

/** Every module specifier in import/export-from statements, dynamic import() and require(). */
function specifiers(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) found.push(m[1]);
  return found;
}

describe("server/pipeline boundary", () => {
  it("finds the files it guards", () => {
    const names = sourceFiles(ROOT).map((f) => relative(ROOT, f));
    expect(names).toEqual(expect.arrayContaining(["schema.ts", "analyze.ts", "expr/parser.ts", "kinds/index.ts"]));
  });

  it("recognises every import form", () => {
    expect(specifiers(`import { a } from "./a";\nimport type { B } from '../b';\nexport * from "./c";\nimport "side";\nconst x = import("dyn");\nrequire("fs");\n// import { no } from "commented";`))
      .toEqual(["./a", "../b", "./c", "side", "dyn", "fs"]);
  });

  it("imports nothing but zod and files inside server/pipeline", () => {
    const offences: string[] = [];
    for (const file of sourceFiles(ROOT)) {
      for (const spec of specifiers(readFileSync(file, "utf8"))) {
        const inside = spec.startsWith(".") && !relative(ROOT, resolve(dirname(file), spec)).startsWith("..");
        if (!inside && spec !== "zod") offences.push(`${relative(ROOT, file)} imports "${spec}"`);
      }
    }
    expect(offences).toEqual([]);
  });
});
