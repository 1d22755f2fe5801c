import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/integration/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // A 4–5 minute measurement that does not pass yet (docs/ha.md, "Mass outage"): only on request.
          exclude: process.env.VIGIL_MASS_OUTAGE ? [] : ['test/integration/ha-mass-outage.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          // real binaries share ports and CPU: run these files one at a time
          fileParallelism: false,
        },
      },
    ],
  },
});
