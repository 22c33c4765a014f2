/**
 * The dashboard's numbers as the charts and their tables show them: totals, the funnel as shares
 * of all registered accounts, and the chart colours. Counts only; nothing here names a person.
 * Colours meet 3:1 against the white chart background (WCAG 1.4.11) and the two daily series also
 * differ in line style and point shape, so no reading depends on colour or on hovering.
 */
import type { Dashboard } from '../../../src-main/ipc/responses.js';

const FUNNEL_STEPS = ['registered', 'emailConfirmed', 'identityConfirmed', 'mailboxDecided'] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];
export const METHODS = ['LETTER', 'POSTIDENT', 'COUNTER'] as const;

/** Chart colours: contrast against white 7.8:1, 5.7:1, 8.0:1 (text on the canvas uses INK, 16.5:1). */
export const PALETTE = ['#00587a', '#a84b00', '#5b3f99'] as const;
export const INK = '#15202b';
export const GRID = '#c9d1d6';

/** A share as a whole percentage, e.g. "67 %" (German) or "67%" (English); nothing of nothing is 0. */
export function percent(part: number, whole: number, locale: string): string {
  const share = whole > 0 ? part / whole : 0;
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

export function total(series: readonly number[]): number {
  return series.reduce((sum, n) => sum + n, 0);
}

export function funnelRows(funnel: Dashboard['funnel'], locale: string): { step: FunnelStep; count: number; share: string }[] {
  return FUNNEL_STEPS.map((step) => ({ step, count: funnel[step], share: percent(funnel[step], funnel.registered, locale) }));
}
