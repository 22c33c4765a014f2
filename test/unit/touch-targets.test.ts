/**
 * Touch targets in millimetres (src-renderer/lib/targets.ts): the configured density becomes the
 * CSS sizes the styles use; rounding never makes a target or a gap smaller than its millimetres.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PIXELS_PER_MM, GAP_MM, TARGET_MM, targetProperties } from '../../src-renderer/lib/targets.js';

const px = (value: string): number => Number(/^([\d.]+)px$/.exec(value)?.[1] ?? NaN);

describe('touch targets at a density', () => {
  it('9 mm is about 44 CSS px and 2 mm about 10 at the default density', () => {
    expect(targetProperties(DEFAULT_PIXELS_PER_MM)).toEqual({ '--target': '44.1px', '--target-gap': '9.8px' });
  });

  it('a denser screen gets larger targets in CSS px', () => {
    expect(targetProperties(6)).toEqual({ '--target': '54px', '--target-gap': '12px' });
  });

  it('rounds up, never below the millimetres', () => {
    for (const density of [2, 3.3, 4.87, 5.55, 7.1, 12.345, 20]) {
      const { '--target': target, '--target-gap': gap } = targetProperties(density);
      expect(px(target)).toBeGreaterThanOrEqual(TARGET_MM * density - 1e-9);
      expect(px(target)).toBeLessThan(TARGET_MM * density + 0.1);
      expect(px(gap)).toBeGreaterThanOrEqual(GAP_MM * density - 1e-9);
    }
  });
});
