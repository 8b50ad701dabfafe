// One vitest run for every package: unit tests beside the code, cross-package tests in test/.
import { defineConfig } from 'vitest/config';
// @kiln/contract and @kiln/sdk resolve to their TypeScript sources in the repository (their package.json `exports`
// give everyone else the built dist/), so tests never need a build.
const SOURCE = '@kiln/source';

export default defineConfig({
  resolve: { conditions: [SOURCE] },
  ssr: { resolve: { conditions: [SOURCE] } },
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
