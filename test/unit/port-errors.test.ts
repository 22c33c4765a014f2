/**
 * The two failures a port may throw instead of answering (core/ports.ts). The dispatcher turns
 * them into BUSY and STORE_UNAVAILABLE by their class; where one escapes (a command-line tool, an
 * uncaught error), the line an operator reads names the failure and, for the store, its reason.
 */
import { describe, expect, it } from 'vitest';
import { HashingBusyError, StoreUnavailableError } from '../../src-main/core/ports.js';

describe('the failures a port may throw', () => {
  it('a store that cannot be reached shows in a log line as StoreUnavailableError with its reason', () => {
    const error = new StoreUnavailableError('connection refused');
    expect(String(error)).toBe('StoreUnavailableError: the store is unavailable: connection refused');
    expect(error.reason).toBe('connection refused');
  });

  it('a full hashing queue shows in a log line as HashingBusyError, saying that hashing is busy', () => {
    expect(String(new HashingBusyError())).toBe('HashingBusyError: password hashing is busy');
  });
});
