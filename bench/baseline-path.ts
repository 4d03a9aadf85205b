/** Where the benchmark's build serves its baseline page (app/bench/baseline.tsx); see vite.config.ts. */
export const BENCH_BASELINE_PATH = "/__bench/baseline";
