// Tests for expression autocompletion.
import { describe, expect, it } from "vitest";
import { REVIEWS_SCHEMA } from "../test-fixtures";
import type { Schema } from "../types";
import { completions } from "./completion";

const SCHEMA: Schema = [...REVIEWS_SCHEMA, { name: "review date", type: "date32", nullable: true }];
const labels = (text: string, cursor = text.length) => completions(text, cursor, SCHEMA).options.map((o) => o.label);

describe("completions", () => {
  it("offers columns matching the word before the cursor, with their type", () => {
    const r = completions("round(helpful_v", 15, SCHEMA);
    expect(r.from).toBe(6);
    expect(r.options).toEqual([{ label: "helpful_votes", kind: "column", detail: "int32", apply: "helpful_votes" }]);
  });

  it("offers functions with signature and an opening parenthesis", () => {
    const r = completions("subs", 4, SCHEMA);
    expect(r.options).toEqual([
      expect.objectContaining({ label: "substr", kind: "function", apply: "substr(", detail: expect.stringContaining("substr(s, start[, len])") }),
    ]);
  });

  it("offers a column and a function of the same name", () => {
    expect(labels("yea")).toEqual(["year", "year"]);
    expect(completions("yea", 3, SCHEMA).options.map((o) => o.kind)).toEqual(["column", "function"]);
  });

  it("backquotes names that are not bare identifiers", () => {
    const option = completions("review_d", 8, SCHEMA).options.find((o) => o.label === "review date");
    expect(option).toBeUndefined(); // "review date" does not start with "review_d"
    expect(completions("revi", 4, SCHEMA).options.find((o) => o.label === "review date")?.apply).toBe("`review date`");
  });

  it("completes inside an open backquote", () => {
    const r = completions("1 + `review d", 13, SCHEMA);
    expect(r.from).toBe(4);
    expect(r.options.map((o) => o.apply)).toEqual(["`review date`"]);
  });

  it("matches case-insensitively and also inside names", () => {
    expect(labels("TOTAL")).toEqual(["total_votes"]);
    expect(labels("votes")).toEqual(["helpful_votes", "total_votes"]);
  });

  it("lists every column and function on an empty word", () => {
    const r = completions("", 0, SCHEMA);
    expect(r.options.filter((o) => o.kind === "column")).toHaveLength(SCHEMA.length);
    expect(r.options.filter((o) => o.kind === "function").length).toBeGreaterThanOrEqual(15);
  });

  it("offers operators-as-words after a value", () => {
    expect(labels("total_votes > 0 a")).toEqual(["and", "as"]);
    expect(labels("review_body i")).toEqual(["is null", "is not null"]);
    expect(labels("vine ")).toContain("or");
  });

  it("offers value keywords where a value is expected", () => {
    expect(labels("vine and n")).toEqual(["not", "null"]);
    expect(labels("cas")).toEqual(["cast", "case"]);
  });

  it("uses only the text before the cursor", () => {
    expect(completions("star + total_votes", 4, SCHEMA).from).toBe(0);
    expect(labels("star + total_votes", 4)).toEqual(["star_rating", "starts_with"]);
  });

  it("offers nothing inside strings or numbers", () => {
    expect(labels("marketplace = 'U")).toEqual([]);
    expect(labels("total_votes > 10")).toEqual([]);
  });

  it("clamps a cursor outside the text", () => {
    expect(() => completions("abc", 99, SCHEMA)).not.toThrow();
    expect(completions("abc", -5, SCHEMA).from).toBe(0);
  });
});
