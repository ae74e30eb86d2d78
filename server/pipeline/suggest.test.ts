// Tests for did-you-mean suggestions.
import { describe, expect, it } from "vitest";
import { closestName, didYouMean, editDistance } from "./suggest";

describe("suggestions", () => {
  it("measures edit distance", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });

  it("prefers a case-insensitive match, then the closest plausible typo", () => {
    expect(closestName("Year", ["year_x", "year"])).toBe("year");
    expect(closestName("reviw_body", ["review_body", "review_headline"])).toBe("review_body");
    expect(closestName("zzz", ["review_body"])).toBeNull();
  });

  it("phrases the hint", () => {
    expect(didYouMean("totl_votes", ["total_votes"])).toBe("Did you mean 'total_votes'?");
    expect(didYouMean("x", [])).toBeUndefined();
  });
});
