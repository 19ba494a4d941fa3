import { describe, expect, it } from "vitest";
import { toCsv } from "@/lib/csv-write";

describe("toCsv", () => {
  it("quotes what needs quoting and ends lines with CRLF", () => {
    expect(
      toCsv(
        ["name", "share"],
        [
          ["Vendor, Inc.", 0.5],
          ['say "hi"', null],
          ["two\nlines", 3],
        ],
      ),
    ).toBe('name,share\r\n"Vendor, Inc.",0.5\r\n"say ""hi""",\r\n"two\nlines",3\r\n');
  });

  it("keeps negative numbers as numbers but defuses text a spreadsheet would run", () => {
    expect(toCsv(["a", "b", "c"], [[-0.25, "=HYPERLINK(1)", "-1+1"]])).toBe("a,b,c\r\n-0.25,'=HYPERLINK(1),'-1+1\r\n");
    expect(toCsv(["x"], [[Number.NaN], [true]])).toBe("x\r\n\r\ntrue\r\n");
  });
});
