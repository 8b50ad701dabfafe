// One vitest run for every package: unit tests beside the code, cross-package tests in test/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Media rendering is CPU-bound and the machines have two cores.
    fileParallelism: true,
    maxWorkers: 2,
    minWorkers: 1,
  },
});
