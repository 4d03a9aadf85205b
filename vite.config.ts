/// <reference types="vitest/config" />
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import { BENCH_BASELINE_PATH } from "./bench/baseline-path";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

// BENCH_BUILD=1 (`npm run bench:http`): the benchmark's own build, in build-bench/, with one extra
// page, the baseline (app/bench/baseline.tsx at BENCH_BASELINE_PATH). The normal build has neither.
const benchBuild = process.env.BENCH_BUILD === "1";

export default defineConfig({
  server: { port: 3000 },
  // Server-only native module: keep the dev dependency scanner from bundling it for the browser.
  optimizeDeps: { exclude: ["@node-rs/argon2"] },
  plugins: [
    !process.env.VITEST &&
      remix({
        ...(benchBuild && {
          buildDirectory: "build-bench",
          routes: (defineRoutes) => defineRoutes((route) => route(BENCH_BASELINE_PATH.slice(1), "bench/baseline.tsx")),
        }),
        future: {
          v3_fetcherPersist: true,
          v3_relativeSplatPath: true,
          v3_throwAbortReason: true,
          v3_singleFetch: true,
          v3_lazyRouteDiscovery: true,
        },
      }),
    tsconfigPaths(),
  ],
  test: {
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node" },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/setup/global-db.ts"],
          setupFiles: ["tests/setup/integration.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
