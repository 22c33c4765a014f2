/** Forgot username: the code is bound to the screen that asked, through a flow token in its session slot. */
import type { HandlerContext, Handlers } from './types.js';

export function usernameHandlers({ core }: HandlerContext): Handlers<'username.forgot' | 'username.reveal'> {
  return {
    'username.forgot': async (input, { who }) => {
      // Every request, matching or not, gets a fresh flow token: only this screen can enter the code.
      const flowToken = core.deps.random.token(32);
      return { result: await core.username.requestReminder(who, input, flowToken), session: flowToken };
    },
    'username.reveal': async (input, { who, token }) => {
      const result = await core.username.reveal(who, input, token ?? '');
      // Shown once: the spent flow token is forgotten.
      return result.ok ? { result, session: null } : { result };
    },
  };
}
