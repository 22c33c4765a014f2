/**
 * The counter's queue file holds messages (without a kind, as stored before help requests existed)
 * and help requests (kind HELP): core/counter/inbox-item.ts tells them apart. A record of a kind
 * this version does not know is neither shown as a call for help nor dismissed with one.
 */
import { describe, expect, it } from 'vitest';
import { isHelpRequest, type InboxRecord } from '../../src-main/core/counter/inbox-item.js';

const message: InboxRecord = { id: 'm-1', accountId: 'acc-1', subject: 'Frage', body: 'Text', at: '2026-11-29T10:00:00.000Z' };
const help: InboxRecord = { id: 'h-1', kind: 'HELP', terminal: 'kiosk-1', at: '2026-11-29T10:00:00.000Z' };

describe('records of the counter queue', () => {
  it('a help request is one; a message is not', () => {
    expect(isHelpRequest(help)).toBe(true);
    expect(isHelpRequest(message)).toBe(false);
  });

  it('a record of another kind is no help request', () => {
    const unknown = { id: 'x-1', kind: 'CALLBACK', terminal: 'kiosk-1', at: '2026-11-29T10:00:00.000Z' } as unknown as InboxRecord;
    expect(isHelpRequest(unknown)).toBe(false);
  });
});
