// Minimal glob support for dataset paths (Node 20 has no fs.glob): `*` and `?` within one
// path segment, `**` for any number of directories. No braces or character classes.

/** True when a path contains glob characters. Example: `hasGlob("data/*.parquet") // true` */
export function hasGlob(p: string): boolean {
  return /[*?]/.test(p);
}

/**
 * Splits a glob into the directory to walk and the pattern below it.
 * Example: `splitGlob("/d/reviews/**\/*.parquet") // { base: "/d/reviews", pattern: "**\/*.parquet" }`
 */
export function splitGlob(glob: string): { base: string; pattern: string } {
  const segs = glob.split("/");
  const first = segs.findIndex(hasGlob);
  const baseSegs = segs.slice(0, first);
  const base = baseSegs.join("/") || (glob.startsWith("/") ? "/" : ".");
  return { base, pattern: segs.slice(first).join("/") };
}

/** How many directory levels below the base a pattern can reach (Infinity with `**`). */
export function globDepth(pattern: string): number {
  const segs = pattern.split("/");
  return segs.includes("**") ? Infinity : segs.length;
}

/**
 * Compiles a pattern (relative, "/"-separated) to an anchored RegExp over relative paths.
 * Example: `globToRegExp("**\/*.parquet").test("a=1/b/part-0.parquet") // true`
 */
export function globToRegExp(pattern: string): RegExp {
  const segs = pattern.split("/").filter((s) => s !== "");
  let re = "";
  segs.forEach((seg, i) => {
    const last = i === segs.length - 1;
    if (seg === "**") {
      re += last ? ".*" : "(?:[^/]+/)*";
      return;
    }
    for (const ch of seg) {
      if (ch === "*") re += "[^/]*";
      else if (ch === "?") re += "[^/]";
      else re += ch.replace(/[\\^$.+()|{}[\]]/g, "\\$&");
    }
    if (!last) re += "/";
  });
  return new RegExp(`^${re}$`);
}
