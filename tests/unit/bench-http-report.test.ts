import { describe, expect, it } from "vitest";
import { accesses, describeAccesses, latencies, meetsTargets, percentile, ratio, writeSection } from "../../bench/http-report";

describe("HTTP benchmark report", () => {
  it("takes percentiles from every response's own time, by nearest rank", () => {
    const times = Array.from({ length: 100 }, (_, k) => 100 - k); // 100 … 1, unsorted
    expect(percentile(times, 50)).toBe(50);
    expect(percentile(times, 95)).toBe(95);
    expect(percentile(times, 99)).toBe(99);
    expect(percentile(times, 100)).toBe(100);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
    // One slow response among twenty decides p99 but not p50.
    expect(latencies([...Array(19).fill(5), 900])).toEqual({ n: 20, p50: 5, p95: 5, p99: 900 });
  });

  it("gives the ratio to the paired baseline and checks both targets", () => {
    expect(ratio(150, 300)).toBe(0.5);
    expect(ratio(10, 0)).toBeNaN();
    expect(meetsTargets(0.6, 50)).toBe(true);
    expect(meetsTargets(0.59, 10)).toBe(false);
    expect(meetsTargets(0.9, 51)).toBe(false);
    expect(meetsTargets(0.9, 120, 150)).toBe(true);
  });

  it("reads what a plan read: index, rows over all loops, scans and sorts", () => {
    const plan = {
      query_block: {
        filesort: { nested_loop: [{ table: { table_name: "cp", access_type: "ref", key: "customer_partners_partner", using_index: true, rows: 900, r_rows: 16131, r_loops: 1 } }] },
        nested_loop: [{ table: { table_name: "customers", access_type: "eq_ref", key: "PRIMARY", rows: 1, r_rows: 1, r_loops: 16131 } }, { table: { table_name: "fn", access_type: "ALL", rows: 100, r_rows: 120309, r_loops: 1 } }],
      },
    };
    const list = accesses(plan);
    expect(list.map((a) => [a.table, a.read, a.sorted])).toEqual([
      ["cp", 16131, true],
      ["customers", 16131, false],
      ["fn", 120309, false],
    ]);
    expect(describeAccesses(list)).toBe("cp: customer_partners_partner (ref, covering), 16,131 rows read, filesort; customers: PRIMARY (eq_ref), 16,131 rows read; fn: **full table scan**, 120,309 rows read");
  });

  describe("rewriting its section of docs/benchmarks.md", () => {
    const section = (n: number, body: string) => `<!-- http:${n}:start -->\n## Pages over HTTP: ${n}\n${body}\n<!-- http:${n}:end -->`;
    const doc = ["# Benchmarks", "", "Intro.", "", "## Customer list and search", "", "<!-- customer-search:200000:start -->\nold search\n<!-- customer-search:200000:end -->", "", "## Order submits", "tail", ""].join("\n");

    it("puts a first section before the given heading and keeps everything else", () => {
      const out = writeSection(doc, "http", 1000000, section(1000000, "first"), "## Customer list and search");
      expect(out).toBe(doc.replace("## Customer list and search", `${section(1000000, "first")}\n\n## Customer list and search`));
    });

    it("replaces only the section of the same size, and adds another size after the existing ones", () => {
      const once = writeSection(doc, "http", 200000, section(200000, "a"), "## Customer list and search");
      const twice = writeSection(once, "http", 1000000, section(1000000, "b"), "## Customer list and search");
      const again = writeSection(twice, "http", 200000, section(200000, "a2"), "## Customer list and search");
      expect(again).toBe(twice.replace(section(200000, "a"), section(200000, "a2")));
      expect(again.indexOf("a2")).toBeLessThan(again.indexOf("\nb\n"));
      expect(again).toContain("old search");
      expect(again).toContain("## Order submits\ntail");
      // Rewriting with the same text changes nothing.
      expect(writeSection(again, "http", 1000000, section(1000000, "b"))).toBe(again);
    });

    it("keeps `$` in the new section as written", () => {
      const out = writeSection(section(5, "x"), "http", 5, section(5, "costs $1 and $&"));
      expect(out).toBe(section(5, "costs $1 and $&"));
    });
  });
});
