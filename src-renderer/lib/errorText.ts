/**
 * The text of an error the main process answered with, in the current language, with its details
 * (remaining attempts, lock end, password rules). Shared by the single message above a screen and
 * by the error summary of a form, so both always say the same.
 */
import type { AppError, PasswordRule } from '../../src-main/ipc/responses.js';
import type { de } from '../i18n/de.js';
import { i18n } from '../i18n/i18n.svelte.js';
import type { ErrorKey, KeysWithPlaceholders, RuleKey } from '../i18n/keys.js';
import { app } from '../state/app.svelte.js';

/**
 * Error texts that need no details. The default branch below may only reach these: a new code
 * whose text names a placeholder fails the type check until it gets its own case.
 */
type PlainErrorKey = Exclude<ErrorKey, KeysWithPlaceholders<typeof de>>;

export function errorText(error: AppError): string {
  const details = error.details ?? {};
  const str = (key: string): string => String(details[key] ?? '');
  switch (error.code) {
    case 'TOO_YOUNG':
      return i18n.t('error.TOO_YOUNG', { date: i18n.date(str('eligibleFrom')) });
    case 'INSURANCE_NOT_STARTED':
      return i18n.t('error.INSURANCE_NOT_STARTED', { date: i18n.date(str('startsOn')) });
    case 'CODE_INVALID':
      return i18n.t('error.CODE_INVALID', { remaining: str('remaining') });
    case 'RESEND_LIMIT':
      return i18n.t('error.RESEND_LIMIT', { time: i18n.time(str('retryAt')) });
    case 'RATE_LIMITED':
      return i18n.t('error.RATE_LIMITED', { time: i18n.dateTime(str('retryAt')) });
    case 'MAILBOX_FULL':
      return i18n.t('error.MAILBOX_FULL', { max: str('max') });
    case 'KEY_INVALID':
      return details['malformed'] ? i18n.t('error.KEY_MALFORMED') : i18n.t('error.KEY_INVALID', { remaining: str('remaining') });
    case 'ACCOUNT_LOCKED':
      return i18n.t('error.ACCOUNT_LOCKED', { until: i18n.dateTime(str('lockedUntil')) });
    case 'INVALID_CREDENTIALS':
    case 'LOGIN_CODE_INVALID':
    case 'CURRENT_PASSWORD_WRONG':
    case 'PASSWORD_WRONG':
      return details['nextFailureLocks']
        ? `${i18n.t(`error.${error.code}`)} ${i18n.t('error.LAST_TRY', { hours: str('lockHours') })}`
        : i18n.t(`error.${error.code}`);
    case 'TERMINAL_PAUSED':
      return i18n.t('error.TERMINAL_PAUSED', { time: i18n.dateTime(str('until')) });
    case 'GO_TO_COUNTER':
      return details['reason'] === 'DEACTIVATED'
        ? i18n.t('error.GO_TO_COUNTER_DEACTIVATED')
        : details['reason'] === 'EMAIL_NOT_CONFIRMED'
          ? i18n.t('error.GO_TO_COUNTER_EMAIL')
          : i18n.t('error.GO_TO_COUNTER');
    case 'CARD_DIGITS_WRONG':
    case 'TAN_INVALID':
    case 'TAN_MISMATCH':
      return i18n.t(`error.${error.code}`, { remaining: str('remaining') });
    case 'DELIVERY_FAILED':
      return details['channel'] === 'SMS' ? i18n.t('error.SMS_FAILED') : i18n.t('error.DELIVERY_FAILED');
    case 'INTERNAL':
      return details['network'] ? i18n.t('error.NETWORK') : i18n.t('error.INTERNAL');
    // Only counter channels answer with these; the kiosk never calls them.
    case 'STAFF_LOCKED':
    case 'STAFF_DISABLED':
    case 'TOTP_INVALID':
    case 'STAFF_STAGE':
    case 'OWN_ACCOUNT':
    case 'OWN_ROLE':
    case 'LAST_SUPERVISOR':
    case 'NOT_LOCKED':
    case 'NOT_DEACTIVATED':
    case 'ALREADY_CONFIRMED':
    case 'EMAIL_ALREADY_CONFIRMED':
    case 'SEARCH_INVALID':
    case 'CSV_INVALID':
    case 'FOUR_EYES':
    case 'REASON_REJECTED':
      return i18n.t('error.INTERNAL');
    default: {
      const key: PlainErrorKey = `error.${error.code}`;
      return i18n.t(key);
    }
  }
}

// The rules arrive as untyped details: only the ones with a text are listed, so an unexpected
// value can never reach a lookup (every PasswordRule has one, keys.ts sees to that).
const isRule = (rule: unknown): rule is PasswordRule => typeof rule === 'string' && i18n.has(`rule.${rule}`);
const ruleKey = (rule: PasswordRule): RuleKey => `rule.${rule}`;

/** The password rules a PASSWORD_REJECTED names, each with its text. */
export function errorRules(error: AppError): { rule: PasswordRule; text: string }[] {
  const raw = error.details?.['rules'];
  if (error.code !== 'PASSWORD_REJECTED' || !Array.isArray(raw)) return [];
  const limits = { min: app.info?.password.minLength ?? 8, max: app.info?.password.maxLength ?? 256 };
  return (raw as unknown[]).filter(isRule).map((rule) => ({ rule, text: i18n.t(ruleKey(rule), limits) }));
}
