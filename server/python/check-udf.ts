// Syntax-checks users' Python UDF sources before anything runs: one short-lived Python process
// per call parses (never executes) every source and reports the first error's line.
import { spawn } from "node:child_process";
import { pythonBin } from "./venv";

export type PythonCheck = { ok: true; reads?: string[] | null } | { ok: false; line: number; message: string; column?: number };

const TIMEOUT_MS = 20_000;

// ast.parse finds syntax errors; compiling the tree adds the compiler's checks ('return'
// outside function, bad nonlocal, ...). Neither runs any user code. `reads` lists the batch
// columns the entry point (keep/compute) reads when every use of its batch parameter is
// batch["col"], batch[["a", "b"]] or len(batch); null when anything else touches the batch.
const CHECKER = `
import ast, json, sys

def batch_reads(tree):
    fns = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in ("keep", "compute")]
    if len(fns) != 1 or not fns[0].args.args:
        return None
    param = fns[0].args.args[0].arg
    reads, allowed = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == param:
            key = node.slice
            keys = key.elts if isinstance(key, (ast.List, ast.Tuple)) else [key]
            if not all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in keys):
                return None
            reads.update(k.value for k in keys)
            allowed.add(id(node.value))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len" \\
                and len(node.args) == 1 and isinstance(node.args[0], ast.Name) and node.args[0].id == param:
            allowed.add(id(node.args[0]))
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == param and id(node) not in allowed:
            return None
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            return None
    return sorted(reads)

out = {}
for key, src in json.loads(sys.stdin.buffer.read().decode("utf-8")).items():
    try:
        tree = ast.parse(src, filename="<udf>")
        compile(tree, "<udf>", "exec", dont_inherit=True)
        out[key] = {"ok": True, "reads": batch_reads(tree)}
    except SyntaxError as e:
        r = {"ok": False, "line": e.lineno or 1, "message": e.msg}
        if e.offset:
            r["column"] = e.offset
        out[key] = r
    except (ValueError, RecursionError, MemoryError) as e:
        out[key] = {"ok": False, "line": 1, "message": f"{type(e).__name__}: {e}"}
json.dump(out, sys.stdout)
`;

/**
 * Checks every source in one Python process; keys are node ids.
 * Example: `await checkPythonSources({ n1: "def keep(b):\n    return b.x > 0\n", n2: "def keep(b)\n" })`
 *   -> `{ n1: { ok: true }, n2: { ok: false, line: 1, message: "expected ':'", column: 11 } }`
 */
export async function checkPythonSources(sources: Record<string, string>): Promise<Record<string, PythonCheck>> {
  if (Object.keys(sources).length === 0) return {};
  const stdout = await runPython(CHECKER, JSON.stringify(sources));
  return JSON.parse(stdout) as Record<string, PythonCheck>;
}

function runPython(script: string, stdin: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // -I: isolated (ignores PYTHON* env vars and the user site dir); -S: skip site imports
    const child = spawn(pythonBin(), ["-I", "-S", "-c", script], { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`Cannot start Python (${pythonBin()}): ${e.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(out).toString("utf8"));
      else reject(new Error(`Python syntax check failed (${signal ?? `exit ${code}`}): ${Buffer.concat(err).toString("utf8").trim()}`));
    });
    child.stdin.on("error", () => {}); // an early exit surfaces through 'close' instead
    child.stdin.end(stdin);
  });
}
