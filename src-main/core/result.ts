/**
 * Expected failures are values with stable SCREAMING_SNAKE codes; throwing is reserved for bugs.
 * The renderer maps codes to texts and never parses messages.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'NOT_AUTHENTICATED'
  | 'WRONG_STEP'
  | 'KVNR_INVALID'
  | 'REGISTER_MISMATCH'
  | 'TOO_YOUNG'
  | 'INSURANCE_NOT_STARTED'
  | 'INSURANCE_ENDED'
  | 'ACCOUNT_EXISTS'
  | 'USERNAME_INVALID'
  | 'USERNAME_TAKEN'
  | 'EMAIL_INVALID'
  | 'PASSWORD_REJECTED'
  | 'CONSENT_REQUIRED'
  | 'CONSENT_OUTDATED'
  | 'CODE_INVALID'
  | 'CODE_EXPIRED'
  | 'CODE_VOID'
  /** A code that does not open what it was asked for, for whatever reason (where the reason would tell too much). */
  | 'CODE_REFUSED'
  | 'RESEND_LIMIT'
  | 'KEY_INVALID'
  | 'KEY_EXPIRED'
  | 'KEY_VOID'
  | 'POSTIDENT_UNAVAILABLE'
  | 'INVALID_CREDENTIALS'
  | 'DETAILS_MISMATCH'
  | 'GO_TO_COUNTER'
  | 'CURRENT_PASSWORD_WRONG'
  | 'PASSWORD_REUSED'
  | 'IDENTITY_REQUIRED'
  | 'MTAN_REQUIRED'
  | 'CARD_DIGITS_WRONG'
  | 'ENROLMENT_ENDED'
  | 'PHONE_INVALID'
  | 'PHONE_NOT_MOBILE'
  | 'TAN_INVALID'
  | 'TAN_EXPIRED'
  | 'TAN_VOID'
  | 'TAN_MISMATCH'
  | 'CONFIRMATION_REQUIRED'
  | 'PASSWORD_WRONG'
  | 'LOGIN_CODE_INVALID'
  | 'ACCOUNT_LOCKED'
  | 'ACCOUNT_DEACTIVATED'
  | 'TERMINAL_PAUSED'
  | 'RATE_LIMITED'
  | 'BUSY'
  /** The shared store (database) cannot be reached; nothing was changed. */
  | 'STORE_UNAVAILABLE'
  /** A register import larger than the embedded store holds; nothing was replaced (PostgreSQL takes it). */
  | 'REGISTER_TOO_LARGE'
  | 'DELIVERY_FAILED'
  | 'RATE_LIMITED'
  | 'MAILBOX_FULL'
  | 'NOT_FOUND'
  | 'UNKNOWN_CHANNEL'
  | 'WRONG_TERMINAL'
  | 'FORBIDDEN'
  | 'PASSWORD_CHANGE_REQUIRED'
  | 'TEMPORARY_PASSWORD_EXPIRED'
  /** "More time" at the idle warning was used as often as a session allows (core/session/sessions.ts). */
  | 'MORE_TIME_USED_UP'
  | CounterErrorCode
  | 'INTERNAL';

/** Codes only the counter's channels answer with: the kiosk's catalogue need not name them. */
export type CounterErrorCode =
  | 'STAFF_LOCKED'
  | 'STAFF_DISABLED'
  | 'TOTP_INVALID'
  | 'STAFF_STAGE'
  | 'OWN_ACCOUNT'
  | 'OWN_ROLE'
  | 'LAST_SUPERVISOR'
  | 'NOT_LOCKED'
  | 'NOT_DEACTIVATED'
  | 'ALREADY_CONFIRMED'
  | 'EMAIL_ALREADY_CONFIRMED'
  | 'SEARCH_INVALID'
  | 'CSV_INVALID'
  | 'FOUR_EYES'
  | 'REASON_REJECTED';

export interface AppError {
  readonly code: ErrorCode;
  /** Machine-readable details for the UI (dates, remaining attempts, failed rules); never secrets. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, details?: Record<string, unknown>): { ok: false; error: AppError } =>
  details === undefined ? { ok: false, error: { code } } : { ok: false, error: { code, details } };
