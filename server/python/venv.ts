// Where the project's Python lives: the repo's .venv, unless $ETL_PYTHON names another interpreter.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

// turbopackIgnore: the bundler must not trace .venv/bin/python (a symlink out of the project).
const VENV_PYTHON = process.platform === "win32" ? path.join(/* turbopackIgnore: true */ ".venv", "Scripts", "python.exe") : path.join(/* turbopackIgnore: true */ ".venv", "bin", "python");
let found: string | undefined;

/**
 * Absolute path of the Python interpreter the server spawns.
 * Order: $ETL_PYTHON; the nearest `.venv` above this file (repo root); the nearest above cwd.
 * Example: `pythonBin() // "/work/main/.venv/bin/python"`
 */
export function pythonBin(): string {
  const env = process.env.ETL_PYTHON;
  if (env) return path.resolve(env);
  return (found ??= locate());
}

function locate(): string {
  const starts: string[] = [];
  try {
    starts.push(path.dirname(fileURLToPath(import.meta.url)));
  } catch {
    // bundled code may not have a file: URL; cwd below still works
  }
  starts.push(process.cwd());
  for (const start of starts) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const candidate = path.join(/* turbopackIgnore: true */ dir, VENV_PYTHON);
      if (existsSync(candidate)) return candidate;
      if (path.dirname(dir) === dir) break;
    }
  }
  // Nothing found: name the expected place so the spawn error is self-explanatory.
  return path.join(/* turbopackIgnore: true */ process.cwd(), VENV_PYTHON);
}
