/**
 * Prepares a data directory before a browser shell starts on it (never while one runs): Erika with
 * an activated account (identity by the POSTIDENT simulator, mailbox on), optionally mTAN, and a
 * login code as staff would issue it. Prints what the test needs as JSON.
 *   node --import tsx test/e2e/seed.ts <dataDir> active|mtan
 */
import { resolve } from 'node:path';
import { openApp } from '../../src-main/app.js';
import type { OutgoingMail, Sms } from '../../src-main/core/ports.js';
import { erikaInput } from '../fixtures/harness.js';

const [dataDir = '', variant = 'active'] = process.argv.slice(2);
const mails: OutgoingMail[] = [];
const sms: Sms[] = [];
const app = await openApp({
  dataDir,
  assetsDir: resolve(import.meta.dirname, '../../assets'),
  mailer: { send: (m) => (mails.push(m), Promise.resolve()) },
  sms: { send: (s) => (sms.push(s), Promise.resolve()) },
});
const who = { actor: 'seed', terminal: 'seed' };
const must = <T>(r: { ok: true; value: T } | { ok: false; error: { code: string } }): T => {
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
};
const lastDigits = (text: string | undefined, n: number) => new RegExp(`\\b(\\d{${n}})\\b`).exec(text ?? '')?.[1] ?? '';

const { accountId } = must(await app.core.registration.register(who, erikaInput()));
must(await app.core.email.confirm(who, accountId, { email: 'erika@example.org', code: lastDigits(mails.at(-1)?.text, 8) }));
const { caseId } = must(await app.core.identity.startPostident(who, accountId));
must(await app.core.identity.postidentResult(caseId, 'SUCCESS'));
must(await app.core.mailbox.decide(who, accountId, true));
if (variant === 'mtan') {
  must(await app.core.mtan.start(accountId));
  must(await app.core.mtan.enterCard(who, accountId, '12345'));
  must(await app.core.mtan.sendCode(who, accountId, '0151 23456789'));
  must(await app.core.mtan.confirm(who, accountId, lastDigits(sms.at(-1)?.text, 6)));
}
const loginCode = must(await app.core.login.issueCode({ actor: 'staff:seed', terminal: 'counter' }, 'A123456780')).code;
await app.close();
console.log(JSON.stringify({ loginCode }));
process.exit(0);
