/**
 * Counter actions (R10) and the insurer's inbox. Each answers with the account as it stands after
 * the action, so the screen shows the new state and the actions it now allows.
 */
import type { Result } from '../../core/result.js';
import { ok } from '../../core/result.js';
import type { HandlerContext, Handlers, StaffCall } from './types.js';
import type { CounterAccountView } from '../responses.js';

type CounterChannel =
  | 'counter.search'
  | 'counter.account'
  | 'counter.confirmIdentity'
  | 'counter.liftLock'
  | 'counter.reactivate'
  | 'counter.temporaryPassword'
  | 'counter.newActivationLetter'
  | 'counter.issueLoginCode'
  | 'counter.resendEmailCode'
  | 'counter.deleteAccount'
  | 'inbox.list'
  | 'inbox.read'
  | 'inbox.answer';

export function counterHandlers({ core }: HandlerContext): Handlers<CounterChannel> {
  const view = (call: StaffCall, accountId: string, reason: string) => core.counter.account(call.who, call.staff, accountId, reason);
  /** The action, then the account as it is now (merged into the action's own answer). */
  const thenView = async <T extends object>(
    call: StaffCall,
    input: { accountId: string; reason: string },
    done: Result<T>,
  ): Promise<Result<T & { account: CounterAccountView }>> => {
    if (!done.ok) return done;
    const account = await view(call, input.accountId, input.reason);
    return account.ok ? ok({ ...done.value, account: account.value }) : account;
  };
  return {
    'counter.search': async (input, { who, staff }) => ({ result: await core.counter.search(who, staff, input.query, input.reason) }),
    'counter.account': async (input, call) => ({ result: await view(call, input.accountId, input.reason) }),
    'counter.confirmIdentity': async (input, call) => {
      const done = await core.counter.confirmIdentity(call.who, call.staff, input.accountId, input);
      return { result: done.ok ? await view(call, input.accountId, input.reason) : done };
    },
    'counter.liftLock': async (input, call) => {
      const done = await core.counter.liftLock(call.who, call.staff, input.accountId, input);
      return { result: done.ok ? await view(call, input.accountId, input.reason) : done };
    },
    'counter.reactivate': async (input, call) => ({
      result: await thenView(call, input, await core.counter.reactivate(call.who, call.staff, input.accountId, input)),
    }),
    'counter.temporaryPassword': async (input, call) => ({
      result: await thenView(call, input, await core.counter.temporaryPassword(call.who, call.staff, input.accountId, input)),
    }),
    'counter.newActivationLetter': async (input, call) => ({
      result: await thenView(call, input, await core.counter.newActivationLetter(call.who, call.staff, input.accountId, input)),
    }),
    'counter.issueLoginCode': async (input, call) => ({
      result: await thenView(call, input, await core.counter.issueLoginCode(call.who, call.staff, input.accountId, input)),
    }),
    'counter.resendEmailCode': async (input, call) => ({
      result: await thenView(call, input, await core.counter.resendEmailCode(call.who, call.staff, input.accountId, input)),
    }),
    'counter.deleteAccount': async (input, { who, staff }) => ({
      result: await core.counter.deleteAccount(who, staff, input.accountId, input),
    }),
    'inbox.list': async (_input, { who, staff }) => ({ result: await core.counter.inbox(who, staff) }),
    'inbox.read': async (input, { who, staff }) => ({ result: await core.counter.readMessage(who, staff, input.id, input.reason) }),
    'inbox.answer': async (input, { who, staff }) => ({ result: await core.counter.answerMessage(who, staff, input.id, input) }),
  };
}

type SupervisorChannel =
  | 'staff.list'
  | 'staff.create'
  | 'staff.change'
  | 'register.importBegin'
  | 'register.importChunk'
  | 'register.importFinish'
  | 'audit.verify'
  | 'dashboard.stats';

export function supervisorHandlers({ core, uploads, verifyAudit }: HandlerContext): Handlers<SupervisorChannel> {
  return {
    'register.importBegin': (input, { staff }) => Promise.resolve({ result: uploads.begin(staff.staffId, input.size) }),
    'register.importChunk': (input, { staff }) =>
      Promise.resolve({ result: uploads.chunk(staff.staffId, input.uploadId, input.seq, input.data) }),
    'register.importFinish': async (input, { who, staff }) => {
      const text = uploads.finish(staff.staffId, input.uploadId);
      // Refused bytes (wrong encoding, incomplete) are a refused staff action like any other.
      const upload = text.ok ? { text: text.value, acceptShrink: input.acceptShrink ?? false } : { refused: text };
      return { result: await core.supervisor.importRegister(who, staff, upload, input.reason) };
    },
    'audit.verify': async (input, { who, staff }) => {
      const check = await verifyAudit();
      await core.supervisor.recordVerification(who, staff, check.code, input.reason);
      return { result: ok(check) };
    },
    'dashboard.stats': async () => ({ result: await core.supervisor.dashboard() }),
    'staff.list': async () => ({ result: await core.supervisor.listStaff() }),
    'staff.create': async (input, { who, staff }) => ({ result: await core.supervisor.createStaff(who, staff, input) }),
    'staff.change': async (input, { who, staff }) => ({ result: await core.supervisor.changeStaff(who, staff, input) }),
  };
}
