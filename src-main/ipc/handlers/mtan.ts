/** mTAN enrolment and TAN requests (R8). */
import type { HandlerContext, Handlers } from './types.js';

type MtanChannel = 'mtan.start' | 'mtan.card' | 'mtan.phone' | 'mtan.resend' | 'mtan.confirm' | 'mtan.leave' | 'tan.request';

export function mtanHandlers({ core }: HandlerContext): Handlers<MtanChannel> {
  return {
    'mtan.start': async (_input, { accountId }) => ({ result: await core.mtan.start(accountId) }),
    'mtan.card': async (input, { accountId, who }) => ({ result: await core.mtan.enterCard(who, accountId, input.digits) }),
    'mtan.phone': async (input, { accountId, who }) => ({ result: await core.mtan.sendCode(who, accountId, input.phone) }),
    'mtan.resend': async (_input, { accountId, who }) => ({ result: await core.mtan.sendCode(who, accountId, undefined) }),
    'mtan.confirm': async (input, { accountId, who }) => ({ result: await core.mtan.confirm(who, accountId, input.code) }),
    'mtan.leave': async (_input, { accountId, who }) => ({ result: await core.mtan.leave(who, accountId) }),
    'tan.request': async (input, { accountId, who }) => ({ result: await core.mtan.requestTan(who, accountId, input) }),
  };
}
