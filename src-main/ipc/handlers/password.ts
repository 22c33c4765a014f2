/** Forgot password and change password (R7); the core decides which sessions end. */
import { ok } from '../../core/result.js';
import type { HandlerContext, Handlers } from './types.js';

type PasswordChannel = 'password.forgot' | 'password.reset' | 'password.change' | 'password.chooseOwn';

export function passwordHandlers({ core, documents, view }: HandlerContext): Handlers<PasswordChannel> {
  return {
    'password.forgot': async (input, { who }) => {
      // Every request, matching or not, gets a fresh flow token in the session slot: only the
      // screen that asked can enter the code, and the answer's shape tells nothing.
      const flowToken = core.deps.random.token(32);
      return { result: await core.password.requestReset(who, input, flowToken), session: flowToken };
    },
    'password.reset': async (input, { who, token }) => {
      const result = await core.password.completeReset(who, input, token ?? '');
      if (!result.ok) return { result };
      // What the account had open goes with its sessions; the spent flow token is forgotten.
      documents.dropFor(result.value.accountId);
      return { result: ok(null), session: null };
    },
    'password.change': async (input, { principal, who }) => {
      const changed = await core.password.change(who, principal, input);
      return changed.ok ? { result: ok(null), session: changed.value.session } : { result: changed };
    },
    'password.chooseOwn': async (input, { principal, who }) => {
      const chosen = await core.password.chooseOwn(who, principal, input.newPassword);
      if (!chosen.ok) return { result: chosen };
      return { result: await view(principal.accountId), session: chosen.value.session };
    },
  };
}
