/**
 * The IPC contract's limits, field by field: everything a renderer (and so whoever controls one)
 * can hand the main process is parsed from `unknown` with these strict schemas before any rule of
 * the core runs. The tables below name every text, secret, reason, date, code and choice field of
 * every channel; a limit that moves shows here as a field accepting what it must not, or refusing
 * what people type.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src-main/core/policy.js';
import {
  CHANNELS,
  channels,
  channelsFor,
  contractFor,
  isChannel,
  MAX_REGISTER_BYTES,
  REGISTER_CHUNK_CHARS,
  type Channel,
  type ChannelInput,
} from '../../src-main/ipc/contract.js';

const contract = contractFor(DEFAULT_POLICY);
const reason = 'Person am Schalter';
const kvnr = 'A123456780';
const birthDate = '1984-08-12';

/** A valid input for every channel (typed by the contract, so a new channel needs one here). */
const SAMPLES: { [C in Channel]: ChannelInput<C> } = {
  'app.info': {},
  'registration.submit': {
    kvnr,
    firstName: 'Erika',
    lastName: 'Mustermann',
    birthDate,
    email: 'erika@example.org',
    username: 'erika.m',
    password: 'Heide*Blume7',
    privacyVersion: '2026-01',
    participationVersion: '2026-01',
    language: 'de',
  },
  'session.login': { username: 'erika.m', password: 'Heide*Blume7' },
  'session.logout': {},
  'session.touch': {},
  'session.moreTime': { kind: 'MORE_TIME' },
  'onboarding.state': {},
  'email.confirm': { email: 'erika@example.org', code: '12345678' },
  'email.resend': {},
  'identity.requestLetter': {},
  'identity.enterKey': { key: 'ABCD-EFGH-JKLM-NPQR-STUV-WXYZ' },
  'identity.startPostident': {},
  'identity.printCoupon': {},
  'mailbox.decide': { accept: true },
  'password.forgot': { username: 'erika.m', kvnr, birthDate },
  'password.reset': { username: 'erika.m', code: '12345678', newPassword: 'Neue*Wiese42' },
  'username.forgot': { kvnr, birthDate },
  'username.reveal': { kvnr, code: '12345678' },
  'password.change': { currentPassword: 'Heide*Blume7', newPassword: 'Neue*Wiese42' },
  'session.loginCode': { kvnr, birthDate, code: 'K7P2-9XQ4' },
  'session.lockNotice': { username: 'erika.m' },
  'mtan.start': {},
  'mtan.card': { digits: '12345' },
  'mtan.phone': { phone: '+49 170 1234567' },
  'mtan.resend': {},
  'mtan.confirm': { code: '123456' },
  'mtan.leave': {},
  'tan.request': { action: 'RECEIPT_VIEW' },
  'receipt.view': { tan: '123456' },
  'personal.data': {},
  'contact.changeEmail': { email: 'neu@example.org', tan: '123456' },
  'contact.confirmEmail': { code: '12345678' },
  'contact.changeMobile': { phone: '+49 170 7654321', tan: '123456' },
  'mailbox.list': {},
  'mailbox.write': { subject: 'Frage', body: 'Guten Tag' },
  'mailbox.markRead': { id: 'MESSAGE' },
  'certificate.create': {},
  'account.delete': { password: 'Heide*Blume7', confirm: true },
  'password.chooseOwn': { newPassword: 'Neue*Wiese42' },
  'help.request': {},
  'staff.login': { username: 'anna.schmidt', password: 'x' },
  'staff.state': {},
  'staff.totp': { code: '123456' },
  'staff.enrolTotp': {},
  'staff.confirmTotp': { code: '123456' },
  'staff.replacePassword': { newPassword: 'Ein-ganz-neues-Passwort-1' },
  'staff.logout': {},
  'staff.touch': {},
  'staff.changePassword': { currentPassword: 'x', newPassword: 'Ein-ganz-neues-Passwort-1' },
  'counter.search': { query: { by: 'KVNR', kvnr }, reason },
  'counter.account': { accountId: 'ACCOUNT', reason },
  'counter.confirmIdentity': { accountId: 'ACCOUNT', reason, document: 'ID_CARD' },
  'counter.liftLock': { accountId: 'ACCOUNT', reason },
  'counter.reactivate': { accountId: 'ACCOUNT', reason, document: 'ID_CARD' },
  'counter.temporaryPassword': { accountId: 'ACCOUNT', reason, document: 'ID_CARD' },
  'counter.newActivationLetter': { accountId: 'ACCOUNT', reason },
  'counter.issueLoginCode': { accountId: 'ACCOUNT', reason, document: 'ID_CARD' },
  'counter.resendEmailCode': { accountId: 'ACCOUNT', reason },
  'counter.deleteAccount': { accountId: 'ACCOUNT', reason, document: 'ID_CARD', confirm: true },
  'inbox.list': {},
  'inbox.read': { id: 'MESSAGE', reason },
  'inbox.answer': { id: 'MESSAGE', subject: 'Re', body: 'Antwort', reason },
  'help.list': {},
  'help.done': { id: 'HELP' },
  'undelivered.list': {},
  'undelivered.dismiss': { id: 'MESSAGE' },
  'staff.list': {},
  'staff.create': { username: 'neu.kollege', role: 'staff', reason },
  'staff.change': { staffId: 'STAFF', change: 'UNLOCK', reason },
  'register.importBegin': { size: 100, reason },
  'register.importChunk': { uploadId: 'UPLOAD', seq: 0, data: 'a2Z2bnI=' },
  'register.importFinish': { uploadId: 'UPLOAD', reason },
  'audit.verify': { reason },
  'dashboard.stats': {},
};

/** A field of a channel's input, in a sample that has it (unions: the variant with the field). */
interface Field {
  readonly channel: Channel;
  readonly path: readonly string[];
  readonly sample?: unknown;
}

function withValue(field: Field, value: unknown): unknown {
  const input = structuredClone(field.sample ?? SAMPLES[field.channel]) as Record<string, unknown>;
  let target = input;
  for (const key of field.path.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const last = field.path.at(-1) ?? '';
  if (value === undefined) delete target[last];
  else target[last] = value;
  return input;
}

const accepts = (field: Field, value: unknown) => contract[field.channel].input.safeParse(withValue(field, value)).success;
const name = (field: Field) => `${field.channel} ${field.path.join('.')}`;

/** What each value does to a field: the names of the refused values, for a readable failure. */
function verdicts(field: Field, values: Record<string, unknown>): Record<string, boolean> {
  return Object.fromEntries(Object.entries(values).map(([label, value]) => [label, accepts(field, value)]));
}

const nameSearch = { query: { by: 'NAME', lastName: 'Mustermann', firstName: 'Erika', birthDate }, reason };
const usernameSearch = { query: { by: 'USERNAME', username: 'erika.m' }, reason };
const ACCOUNT_ID_CHANNELS = [
  'counter.account',
  'counter.confirmIdentity',
  'counter.liftLock',
  'counter.reactivate',
  'counter.temporaryPassword',
  'counter.newActivationLetter',
  'counter.issueLoginCode',
  'counter.resendEmailCode',
  'counter.deleteAccount',
] as const;

/** Every free-text field with its shortest and longest accepted length. */
const TEXT_FIELDS: readonly (Field & { readonly min: number; readonly max: number })[] = [
  { channel: 'registration.submit', path: ['kvnr'], min: 1, max: 20 },
  { channel: 'registration.submit', path: ['firstName'], min: 1, max: 100 },
  { channel: 'registration.submit', path: ['lastName'], min: 1, max: 100 },
  { channel: 'registration.submit', path: ['email'], min: 3, max: 254 },
  { channel: 'registration.submit', path: ['username'], min: 1, max: 64 },
  { channel: 'registration.submit', path: ['password'], min: 1, max: 4096 },
  { channel: 'registration.submit', path: ['privacyVersion'], min: 0, max: 20 },
  { channel: 'registration.submit', path: ['participationVersion'], min: 0, max: 20 },
  { channel: 'session.login', path: ['username'], min: 1, max: 64 },
  { channel: 'email.confirm', path: ['email'], min: 3, max: 254 },
  { channel: 'identity.enterKey', path: ['key'], min: 1, max: 40 },
  { channel: 'password.forgot', path: ['username'], min: 1, max: 64 },
  { channel: 'password.forgot', path: ['kvnr'], min: 1, max: 20 },
  { channel: 'password.reset', path: ['username'], min: 1, max: 64 },
  { channel: 'username.forgot', path: ['kvnr'], min: 1, max: 20 },
  { channel: 'username.reveal', path: ['kvnr'], min: 1, max: 20 },
  { channel: 'session.loginCode', path: ['kvnr'], min: 1, max: 20 },
  { channel: 'session.loginCode', path: ['code'], min: 1, max: 20 },
  { channel: 'session.lockNotice', path: ['username'], min: 1, max: 64 },
  { channel: 'session.lockNotice', path: ['kvnr'], sample: { kvnr }, min: 1, max: 20 },
  { channel: 'mtan.phone', path: ['phone'], min: 3, max: 30 },
  { channel: 'tan.request', path: ['phone'], sample: { action: 'CHANGE_MOBILE', phone: '+49 170 1' }, min: 3, max: 30 },
  { channel: 'tan.request', path: ['email'], sample: { action: 'CHANGE_EMAIL', email: 'a@b.de' }, min: 3, max: 254 },
  { channel: 'contact.changeEmail', path: ['email'], min: 3, max: 254 },
  { channel: 'contact.changeMobile', path: ['phone'], min: 3, max: 30 },
  { channel: 'mailbox.write', path: ['subject'], min: 1, max: 120 },
  { channel: 'mailbox.write', path: ['body'], min: 1, max: 5000 },
  { channel: 'mailbox.markRead', path: ['id'], min: 1, max: 40 },
  { channel: 'staff.login', path: ['username'], min: 1, max: 64 },
  { channel: 'counter.search', path: ['query', 'kvnr'], min: 1, max: 20 },
  { channel: 'counter.search', path: ['query', 'username'], sample: usernameSearch, min: 1, max: 64 },
  { channel: 'counter.search', path: ['query', 'lastName'], sample: nameSearch, min: 1, max: 100 },
  { channel: 'counter.search', path: ['query', 'firstName'], sample: nameSearch, min: 0, max: 100 },
  ...ACCOUNT_ID_CHANNELS.map((channel) => ({ channel, path: ['accountId'], min: 1, max: 64 })),
  { channel: 'inbox.read', path: ['id'], min: 1, max: 64 },
  { channel: 'inbox.answer', path: ['id'], min: 1, max: 64 },
  { channel: 'inbox.answer', path: ['subject'], min: 1, max: 120 },
  { channel: 'inbox.answer', path: ['body'], min: 1, max: 5000 },
  { channel: 'help.done', path: ['id'], min: 1, max: 64 },
  { channel: 'undelivered.dismiss', path: ['id'], min: 1, max: 64 },
  { channel: 'staff.create', path: ['username'], min: 1, max: 64 },
  { channel: 'staff.create', path: ['ownKvnr'], min: 1, max: 20 },
  { channel: 'staff.change', path: ['staffId'], min: 1, max: 64 },
  { channel: 'register.importChunk', path: ['uploadId'], min: 1, max: 64 },
  { channel: 'register.importFinish', path: ['uploadId'], min: 1, max: 64 },
];

/** Every password field: hashed, never stored, so only well-formed text of 1 to 4096 characters. */
const SECRET_FIELDS: readonly Field[] = [
  { channel: 'session.login', path: ['password'] },
  { channel: 'password.reset', path: ['newPassword'] },
  { channel: 'password.change', path: ['currentPassword'] },
  { channel: 'password.change', path: ['newPassword'] },
  { channel: 'account.delete', path: ['password'] },
  { channel: 'password.chooseOwn', path: ['newPassword'] },
  { channel: 'staff.login', path: ['password'] },
  { channel: 'staff.replacePassword', path: ['newPassword'] },
  { channel: 'staff.changePassword', path: ['currentPassword'] },
  { channel: 'staff.changePassword', path: ['newPassword'] },
];

const REASON_CHANNELS = [
  'counter.search',
  ...ACCOUNT_ID_CHANNELS,
  'inbox.read',
  'inbox.answer',
  'staff.create',
  'staff.change',
  'register.importBegin',
  'register.importFinish',
  'audit.verify',
] as const;

const DATE_FIELDS: readonly Field[] = [
  { channel: 'registration.submit', path: ['birthDate'] },
  { channel: 'password.forgot', path: ['birthDate'] },
  { channel: 'username.forgot', path: ['birthDate'] },
  { channel: 'session.loginCode', path: ['birthDate'] },
  { channel: 'counter.search', path: ['query', 'birthDate'], sample: nameSearch },
];

/** Codes people type from a mail, an SMS or an app, with the number of digits the policy gives them. */
const CODE_FIELDS: readonly (Field & { readonly digits: number })[] = [
  { channel: 'email.confirm', path: ['code'], digits: DEFAULT_POLICY.emailCode.digits },
  { channel: 'password.reset', path: ['code'], digits: DEFAULT_POLICY.emailCode.digits },
  { channel: 'username.reveal', path: ['code'], digits: DEFAULT_POLICY.emailCode.digits },
  { channel: 'contact.confirmEmail', path: ['code'], digits: DEFAULT_POLICY.emailCode.digits },
  { channel: 'mtan.confirm', path: ['code'], digits: DEFAULT_POLICY.mtan.smsCodeDigits },
  { channel: 'receipt.view', path: ['tan'], digits: DEFAULT_POLICY.mtan.tanDigits },
  { channel: 'contact.changeEmail', path: ['tan'], digits: DEFAULT_POLICY.mtan.tanDigits },
  { channel: 'contact.changeMobile', path: ['tan'], digits: DEFAULT_POLICY.mtan.tanDigits },
  { channel: 'staff.totp', path: ['code'], digits: 6 },
  { channel: 'staff.confirmTotp', path: ['code'], digits: 6 },
];

describe('every channel', () => {
  it('accepts a well-formed input and refuses it with one unknown field more, a missing field or no object at all', () => {
    for (const channel of CHANNELS) {
      const { input } = contract[channel];
      const sample = SAMPLES[channel] as Record<string, unknown>;
      expect({ channel, ok: input.safeParse(sample).success }).toEqual({ channel, ok: true });
      expect({ channel, ok: input.safeParse({ ...sample, isAdmin: true }).success }).toEqual({ channel, ok: false });
      for (const bad of [null, 'x', 1, []]) expect({ channel, bad, ok: input.safeParse(bad).success }).toEqual({ channel, bad, ok: false });
      for (const key of Object.keys(sample)) {
        const { [key]: _dropped, ...rest } = sample;
        const optional =
          (channel === 'staff.create' && key === 'ownKvnr') || (channel === 'register.importFinish' && key === 'acceptShrink');
        expect({ channel, key, ok: input.safeParse(rest).success }).toEqual({ channel, key, ok: optional });
      }
    }
  });

  it('names who may call it and where, and each terminal is offered only its own channels', () => {
    expect(channels['app.info']).toMatchObject({ auth: 'none', terminal: 'any' });
    expect(channels['registration.submit']).toMatchObject({ auth: 'none', terminal: 'kiosk' });
    expect(channels['session.touch']).toMatchObject({ auth: 'account', terminal: 'kiosk' });
    expect(channels['staff.login']).toMatchObject({ auth: 'none', terminal: 'counter' });
    expect(channels['counter.search']).toMatchObject({ auth: 'staff', terminal: 'counter' });
    expect(channels['staff.create']).toMatchObject({ auth: 'supervisor', terminal: 'counter' });
    const kiosk = channelsFor('kiosk');
    const counter = channelsFor('counter');
    expect(kiosk).toContain('app.info');
    expect(counter).toContain('app.info');
    expect(kiosk).toContain('session.login');
    expect(kiosk).not.toContain('staff.login');
    expect(counter).toContain('staff.login');
    expect(counter).not.toContain('session.login');
    expect([...kiosk, ...counter].filter((c) => c !== 'app.info').sort()).toEqual(CHANNELS.filter((c) => c !== 'app.info').sort());
  });

  it('a channel name is one of the contract’s own, never an inherited property or a non-string', () => {
    expect(isChannel('session.login')).toBe(true);
    for (const value of [
      '__proto__',
      'toString',
      'constructor',
      'hasOwnProperty',
      '',
      'session.Login',
      1,
      null,
      undefined,
      ['session.login'],
    ]) {
      expect(isChannel(value)).toBe(false);
    }
  });
});

describe('text fields', () => {
  it('accept from their shortest to their longest length and refuse one character more or less', () => {
    for (const field of TEXT_FIELDS) {
      const values: Record<string, unknown> = {
        longest: 'a'.repeat(field.max),
        tooLong: 'a'.repeat(field.max + 1),
        shortest: 'a'.repeat(field.min),
      };
      const expected: Record<string, boolean> = { longest: true, tooLong: false, shortest: true };
      if (field.min > 0) {
        values['tooShort'] = 'a'.repeat(field.min - 1);
        expected['tooShort'] = false;
      }
      expect({ field: name(field), ...verdicts(field, values) }).toEqual({ field: name(field), ...expected });
    }
  });

  it('refuse a NUL, a lone surrogate and anything that is not a string; other Unicode is accepted', () => {
    for (const field of TEXT_FIELDS) {
      const ok = 'Grüße 😀 \t';
      const values = { nul: `abc\u0000`, surrogate: `ab\uD800c`, number: 123, array: ['abc'], ok: ok.slice(0, Math.max(field.max, 3)) };
      expect({ field: name(field), ...verdicts(field, values) }).toEqual({
        field: name(field),
        nul: false,
        surrogate: false,
        number: false,
        array: false,
        ok: true,
      });
    }
  });
});

describe('password fields', () => {
  it('take 1 to 4096 characters of well-formed text; a NUL is a character like any other (hashed, never stored)', () => {
    for (const field of SECRET_FIELDS) {
      const values = {
        empty: '',
        one: 'x',
        longest: 'a'.repeat(4096),
        tooLong: 'a'.repeat(4097),
        surrogate: 'Heide*Blume7\uD800',
        nul: 'Heide*Blume7\u0000',
        number: 1234,
      };
      expect({ field: name(field), ...verdicts(field, values) }).toEqual({
        field: name(field),
        empty: false,
        one: true,
        longest: true,
        tooLong: false,
        surrogate: false,
        nul: true,
        number: false,
      });
    }
  });
});

describe('reasons of staff actions', () => {
  it('are one to 500 characters of storable text with at least one that is not a space', () => {
    for (const channel of REASON_CHANNELS) {
      const field: Field = { channel, path: ['reason'] };
      const values = {
        one: 'x',
        padded: '  x  ',
        longest: 'a'.repeat(500),
        tooLong: 'a'.repeat(501),
        empty: '',
        blank: ' \t \n ',
        nul: 'Person\u0000',
        surrogate: 'Person\uDC00',
        missing: undefined,
      };
      expect({ channel, ...verdicts(field, values) }).toEqual({
        channel,
        one: true,
        padded: true,
        longest: true,
        tooLong: false,
        empty: false,
        blank: false,
        nul: false,
        surrogate: false,
        missing: false,
      });
    }
  });
});

describe('dates', () => {
  it('are exactly YYYY-MM-DD in ASCII digits: nothing before or after, no short parts, no other separators', () => {
    for (const field of DATE_FIELDS) {
      const values = {
        iso: '1984-08-12',
        leading: 'x1984-08-12',
        trailing: '1984-08-12x',
        newline: '1984-08-12\n',
        shortYear: '84-08-12',
        longYear: '19840-08-12',
        shortMonth: '1984-8-12',
        shortDay: '1984-08-1',
        longDay: '1984-08-123',
        letters: 'abcd-ef-gh',
        slashes: '1984/08/12',
        german: '12.08.1984',
        number: 19840812,
      };
      expect({ field: name(field), ...verdicts(field, values) }).toEqual({
        field: name(field),
        iso: true,
        leading: false,
        trailing: false,
        newline: false,
        shortYear: false,
        longYear: false,
        shortMonth: false,
        shortDay: false,
        longDay: false,
        letters: false,
        slashes: false,
        german: false,
        number: false,
      });
    }
  });
});

describe('typed codes', () => {
  it('have exactly the policy’s number of ASCII digits; spaces around them are allowed, inside them not', () => {
    for (const field of CODE_FIELDS) {
      const n = field.digits;
      const code = '1234567890'.repeat(2).slice(0, n);
      const values = {
        exact: code,
        spaced: ` ${code}\t `,
        short: code.slice(1),
        long: `${code}1`,
        inner: `${code.slice(0, 3)} ${code.slice(3)}`,
        letter: `${code.slice(1)}a`,
        fullWidth: '１'.repeat(n),
        number: Number(code),
      };
      expect({ field: name(field), ...verdicts(field, values) }).toEqual({
        field: name(field),
        exact: true,
        spaced: true,
        short: false,
        long: false,
        inner: false,
        letter: false,
        fullWidth: false,
        number: false,
      });
    }
  });

  it('follow the configured lengths: a 10-digit e-mail code and TAN are accepted where 8 and 6 no longer are', () => {
    const longer = contractFor({
      ...DEFAULT_POLICY,
      emailCode: { ...DEFAULT_POLICY.emailCode, digits: 10 },
      mtan: { ...DEFAULT_POLICY.mtan, tanDigits: 10, smsCodeDigits: 8 },
    });
    expect(longer['email.confirm'].input.safeParse({ email: 'a@b.de', code: '1234567890' }).success).toBe(true);
    expect(longer['email.confirm'].input.safeParse({ email: 'a@b.de', code: '12345678' }).success).toBe(false);
    expect(longer['receipt.view'].input.safeParse({ tan: '1234567890' }).success).toBe(true);
    expect(longer['receipt.view'].input.safeParse({ tan: '123456' }).success).toBe(false);
    expect(longer['mtan.confirm'].input.safeParse({ code: '12345678' }).success).toBe(true);
    expect(longer['mtan.confirm'].input.safeParse({ code: '123456' }).success).toBe(false);
    // The staff's TOTP codes are six digits whatever the policy says of other codes.
    expect(longer['staff.totp'].input.safeParse({ code: '123456' }).success).toBe(true);
  });

  it('the card digits are exactly five ASCII digits, without spaces', () => {
    const field: Field = { channel: 'mtan.card', path: ['digits'] };
    const values = { five: '12345', four: '1234', six: '123456', leading: ' 12345', trailing: '12345 ', letters: 'abcde', inner: '12 345' };
    expect(verdicts(field, values)).toEqual({
      five: true,
      four: false,
      six: false,
      leading: false,
      trailing: false,
      letters: false,
      inner: false,
    });
  });
});

describe('choices', () => {
  it('each offered choice is accepted and nothing else', () => {
    const cases: readonly [Field, readonly unknown[], readonly unknown[]][] = [
      [{ channel: 'registration.submit', path: ['language'] }, ['de', 'en'], ['fr', 'DE', '']],
      [{ channel: 'session.moreTime', path: ['kind'] }, ['MORE_TIME', 'NEEDS_MORE_TIME'], ['FOREVER', '']],
      ...ACCOUNT_ID_CHANNELS.filter((c) => 'document' in SAMPLES[c]).map((channel): [Field, readonly unknown[], readonly unknown[]] => [
        { channel, path: ['document'] },
        ['ID_CARD', 'PASSPORT', 'RESIDENCE_PERMIT', 'ARRIVAL_CERTIFICATE'],
        ['DRIVING_LICENCE', '', undefined],
      ]),
      [{ channel: 'staff.create', path: ['role'] }, ['staff', 'supervisor'], ['admin', 'Supervisor', '']],
      [
        { channel: 'staff.change', path: ['change'] },
        ['DISABLE', 'RESET_PASSWORD', 'RESET_TOTP', 'UNLOCK', { role: 'staff' }, { role: 'supervisor' }],
        ['DELETE', '', { role: 'admin' }, { role: 'staff', extra: 1 }, {}],
      ],
      [{ channel: 'mailbox.decide', path: ['accept'] }, [true, false], ['true', 1, null]],
      [{ channel: 'account.delete', path: ['confirm'] }, [true], [false, 'true', 1]],
      [{ channel: 'counter.deleteAccount', path: ['confirm'] }, [true], [false, 'true']],
      [{ channel: 'register.importFinish', path: ['acceptShrink'] }, [true, false, undefined], ['yes', 1]],
    ];
    for (const [field, accepted, refused] of cases) {
      for (const value of accepted)
        expect({ field: name(field), value, ok: accepts(field, value) }).toEqual({ field: name(field), value, ok: true });
      for (const value of refused)
        expect({ field: name(field), value, ok: accepts(field, value) }).toEqual({ field: name(field), value, ok: false });
    }
  });

  it('a TAN is requested for one of three actions, each with exactly its own fields', () => {
    const parse = (input: unknown) => contract['tan.request'].input.safeParse(input).success;
    expect(parse({ action: 'RECEIPT_VIEW' })).toBe(true);
    expect(parse({ action: 'CHANGE_MOBILE', phone: '+49 170 1234567' })).toBe(true);
    expect(parse({ action: 'CHANGE_EMAIL', email: 'neu@example.org' })).toBe(true);
    expect(parse({ action: 'RECEIPT_VIEW', phone: '+49 170 1234567' })).toBe(false);
    expect(parse({ action: 'CHANGE_MOBILE' })).toBe(false);
    expect(parse({ action: 'CHANGE_EMAIL', phone: '+49 170 1234567' })).toBe(false);
    expect(parse({ action: 'DELETE_ACCOUNT' })).toBe(false);
  });

  it('a counter search is by KVNR, by username or by name with birth date, each with exactly its own fields', () => {
    const parse = (query: unknown) => contract['counter.search'].input.safeParse({ query, reason }).success;
    expect(parse({ by: 'KVNR', kvnr })).toBe(true);
    expect(parse({ by: 'USERNAME', username: 'erika.m' })).toBe(true);
    expect(parse({ by: 'NAME', lastName: 'Mustermann', birthDate })).toBe(true);
    expect(parse({ by: 'NAME', lastName: 'Mustermann', firstName: 'Erika', birthDate })).toBe(true);
    expect(parse({ by: 'NAME', lastName: 'Mustermann' })).toBe(false);
    expect(parse({ by: 'KVNR', username: 'erika.m' })).toBe(false);
    expect(parse({ by: 'KVNR', kvnr, birthDate })).toBe(false);
    expect(parse({ by: 'EMAIL', email: 'erika@example.org' })).toBe(false);
  });

  it('a lock notice is asked for by username or by KVNR, not both', () => {
    const parse = (input: unknown) => contract['session.lockNotice'].input.safeParse(input).success;
    expect(parse({ username: 'erika.m' })).toBe(true);
    expect(parse({ kvnr })).toBe(true);
    expect(parse({ username: 'erika.m', kvnr })).toBe(false);
    expect(parse({})).toBe(false);
  });
});

describe('register uploads from the console', () => {
  it('announce 1 byte to 64 MiB in whole bytes', () => {
    const field: Field = { channel: 'register.importBegin', path: ['size'] };
    const values = { one: 1, largest: MAX_REGISTER_BYTES, tooLarge: MAX_REGISTER_BYTES + 1, zero: 0, half: 1.5, text: '100' };
    expect(MAX_REGISTER_BYTES).toBe(67_108_864);
    expect(verdicts(field, values)).toEqual({ one: true, largest: true, tooLarge: false, zero: false, half: false, text: false });
  });

  it('send pieces of at most 48 Ki base64 characters, numbered from 0', () => {
    const data: Field = { channel: 'register.importChunk', path: ['data'] };
    expect(REGISTER_CHUNK_CHARS).toBe(49_152);
    expect(
      verdicts(data, {
        empty: '',
        largest: 'A'.repeat(REGISTER_CHUNK_CHARS),
        tooLarge: 'A'.repeat(REGISTER_CHUNK_CHARS + 1),
        alphabet: 'AZaz09+/',
        onePad: 'a2Z2bnI=',
        twoPads: 'a2Z2bg==',
        threePads: 'a2Z2b===',
        padInside: 'a2=Z2bnI',
        leadingPad: '=a2Z2bnI',
        space: 'a2Z2 bnI=',
        urlSafe: 'a2Z2-_nI',
        newline: 'a2Z2bnI=\n',
      }),
    ).toEqual({
      empty: true,
      largest: true,
      tooLarge: false,
      alphabet: true,
      onePad: true,
      twoPads: true,
      threePads: false,
      padInside: false,
      leadingPad: false,
      space: false,
      urlSafe: false,
      newline: false,
    });
    const seq: Field = { channel: 'register.importChunk', path: ['seq'] };
    expect(verdicts(seq, { first: 0, next: 1, negative: -1, half: 0.5, text: '0' })).toEqual({
      first: true,
      next: true,
      negative: false,
      half: false,
      text: false,
    });
  });
});
