/** The four registration steps' first two: the account, and the e-mail confirmation. */
import { ok } from '../../core/result.js';
import { andThen, type HandlerContext, type Handlers } from './types.js';

type RegistrationChannel = 'registration.submit' | 'onboarding.state' | 'email.confirm' | 'email.resend';

export function registrationHandlers({ core, view }: HandlerContext): Handlers<RegistrationChannel> {
  return {
    'registration.submit': async (input, { who }) => {
      const registered = await core.registration.register(who, input);
      if (!registered.ok) return { result: registered };
      const state = await view(registered.value.accountId);
      if (!state.ok) return { result: state };
      return { result: ok({ ...state.value, emailDelivery: registered.value.emailDelivery }), session: registered.value.session };
    },
    'onboarding.state': async (_input, { accountId }) => {
      // Reading the state asks a polled provider about an open case; its failure is not this read's.
      await core.identity.refreshPostident(accountId);
      return { result: await view(accountId) };
    },
    'email.confirm': async (input, { accountId, who }) => ({
      result: await andThen(await core.email.confirm(who, accountId, input), () => view(accountId)),
    }),
    'email.resend': async (_input, { accountId, who }) => ({ result: await core.email.resend(who, accountId) }),
  };
}
