// A small writer for Python source: indentation, line counting and per-node line ranges, so
// the emitter can record which lines each pipeline node produced (the source map).

/** A node's lines in the generated script: [start, end], 1-based and inclusive. */
export type LineRange = readonly [number, number];

/** Default width the emitter tries to stay under before wrapping a call over several lines. */
export const LINE_WIDTH = 100;

/**
 * Collects lines of Python. Text passed to `line` may itself span several lines (e.g. a
 * pyMultiline literal); every physical line gets the current indentation.
 *
 * Example:
 *   const w = new PythonWriter();
 *   w.line("def build(run):");
 *   w.indented(() => w.span("read", () => w.line("ds_read = ...")));
 *   w.text();            // "def build(run):\n    ds_read = ...\n"
 *   w.ranges().read;     // [2, 2]
 */
export class PythonWriter {
  private readonly lines: string[] = [];
  private depth = 0;
  private readonly spans: Record<string, LineRange> = {};

  /** Indentation prefix for the current depth. */
  get indent(): string {
    return "    ".repeat(this.depth);
  }

  /** The number of the next line to be written (1-based). */
  get nextLine(): number {
    return this.lines.length + 1;
  }

  /** Append one logical line (may contain "\n"; each physical line is indented). */
  line(text = ""): this {
    if (text === "") {
      this.lines.push("");
      return this;
    }
    const prefix = this.indent;
    if (!text.includes("\n")) {
      this.lines.push(prefix + text);
      return this;
    }
    for (const physical of text.split("\n")) this.lines.push(physical === "" ? "" : prefix + physical);
    return this;
  }

  /** Append an empty line unless the previous one is already empty (or nothing was written). */
  blank(): this {
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] !== "") this.lines.push("");
    return this;
  }

  /** Run `body` one indentation level deeper. */
  indented(body: () => void): this {
    this.depth++;
    try {
      body();
    } finally {
      this.depth--;
    }
    return this;
  }

  /** Record the lines written by `body` as the range of `key` (a node id). */
  span(key: string, body: () => void): this {
    if (Object.hasOwn(this.spans, key)) throw new Error(`PythonWriter: span ${key} recorded twice`);
    const start = this.nextLine;
    body();
    const end = this.nextLine - 1;
    if (end >= start) this.spans[key] = [start, end];
    return this;
  }

  /**
   * A call `head(arg, arg, ...)` on one line when it fits in LINE_WIDTH, otherwise with one
   * argument per line and a trailing comma (the way black would lay it out).
   * Example: w.call("ds = ds.sort(", ['["a"]', "descending=[True]"], ")")
   */
  call(head: string, args: readonly string[], close = ")"): this {
    const oneLine = head + args.join(", ") + close;
    if (this.indent.length + oneLine.length <= LINE_WIDTH && !oneLine.includes("\n")) return this.line(oneLine);
    this.line(head);
    this.indented(() => {
      for (const a of args) this.line(a + ",");
    });
    return this.line(close);
  }

  /** The script so far, ending with a newline. */
  text(): string {
    return this.lines.join("\n") + "\n";
  }

  /** Line ranges recorded with `span`, keyed by node id. */
  ranges(): Record<string, LineRange> {
    return { ...this.spans };
  }
}

/**
 * A list literal on one line when short, else its items packed several per line (for use as
 * a call argument or assignment value; continuation lines are indented by four spaces).
 * Example: wrapList(['"a"', '"b"']) === '["a", "b"]'
 */
export function wrapList(items: readonly string[], width = LINE_WIDTH - 40): string {
  return wrapped("[", items, "]", width, true);
}

/**
 * A dict literal from pre-encoded `key: value` entries: one line when short, else one entry
 * per line (an entry may itself span lines).
 * Example: wrapDict(['"a": 1']) === '{"a": 1}'
 */
export function wrapDict(entries: readonly string[], width = LINE_WIDTH - 40): string {
  return wrapped("{", entries, "}", width, false);
}

function wrapped(open: string, items: readonly string[], close: string, width: number, pack: boolean): string {
  const one = open + items.join(", ") + close;
  if (items.length === 0 || (one.length <= width && !one.includes("\n"))) return one;
  const lines: string[] = [];
  let cur = "";
  for (const item of items) {
    const text = item.split("\n").join("\n    ") + ",";
    if (!pack || text.includes("\n")) {
      if (cur !== "") lines.push(cur);
      lines.push(text);
      cur = "";
    } else if (cur === "" || cur.length + 1 + text.length > LINE_WIDTH - 8) {
      if (cur !== "") lines.push(cur);
      cur = text;
    } else cur += " " + text;
  }
  if (cur !== "") lines.push(cur);
  return open + "\n" + lines.map((l) => "    " + l + "\n").join("") + close;
}
