/** Logging in and out: the core opens the session and hands over its token. */
import { ok } from '../../core/result.js';
import type { HandlerContext, Handlers } from './types.js';

type LoginChannel = 'session.login' | 'session.loginCode' | 'session.lockNotice' | 'session.logout' | 'session.touch' | 'session.moreTime';

export function loginHandlers({ core, documents, view }: HandlerContext): Handlers<LoginChannel> {
  return {
    'session.login': async (input, { who }) => {
      const granted = await core.login.withPassword(who, input);
      if (!granted.ok) return { result: granted };
      return { result: await view(granted.value.accountId), session: granted.value.session };
    },
    'session.loginCode': async (input, { who }) => {
      const granted = await core.login.withCode(who, input);
      if (!granted.ok) return { result: granted };
      return { result: await view(granted.value.accountId), session: granted.value.session };
    },
    'session.lockNotice': async (input, { who }) => ({ result: await core.login.lockNotice(who, input) }),
    'session.logout': (_input, { principal, token }) => {
      core.access.end(token);
      // A document handed out but not fetched must not wait for the next person at the kiosk.
      if (principal) documents.dropFor(principal.accountId);
      return Promise.resolve({ result: ok(null), session: null });
    },
    'session.touch': () => Promise.resolve({ result: ok(null) }),
    'session.moreTime': (input, { token }) => Promise.resolve({ result: core.access.moreTime(token, input.kind) }),
  };
}
