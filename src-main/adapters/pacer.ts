import { performance } from 'node:perf_hooks';
import { setTimeout as wait } from 'node:timers/promises';
import type { Pacer } from '../core/ports.js';

export const realPacer: Pacer = {
  mark: () => performance.now(),
  hold: async (mark, minimumMs) => {
    const left = mark + minimumMs - performance.now();
    if (left > 0) await wait(left);
  },
};

/** For unit tests of the rules: never waits. */
export const instantPacer: Pacer = { mark: () => 0, hold: () => Promise.resolve() };
