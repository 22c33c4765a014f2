/** The account's services (R9): receipt, personal data, contact changes, certificate, deletion. */
import { ok } from '../../core/result.js';
import type { HandlerContext, Handlers } from './types.js';

type ServiceChannel =
  | 'receipt.view'
  | 'personal.data'
  | 'contact.changeEmail'
  | 'contact.confirmEmail'
  | 'contact.changeMobile'
  | 'certificate.create'
  | 'account.delete';

export function serviceHandlers({ core, documents }: HandlerContext): Handlers<ServiceChannel> {
  return {
    'receipt.view': async (input, { accountId, who }) => ({ result: await core.services.receipt(who, accountId, input.tan) }),
    'personal.data': async (_input, { accountId }) => ({ result: await core.services.personalData(accountId) }),
    'contact.changeEmail': async (input, { accountId, who }) => ({
      result: await core.services.changeEmail(who, accountId, input.email, input.tan),
    }),
    'contact.confirmEmail': async (input, { accountId, who }) => ({
      result: await core.services.confirmEmailChange(who, accountId, input.code),
    }),
    'contact.changeMobile': async (input, { accountId, who }) => ({
      result: await core.services.changeMobile(who, accountId, input.phone, input.tan),
    }),
    'certificate.create': async (_input, { accountId }) => {
      const room = documents.room();
      if (!room.ok) return { result: room };
      const created = await core.services.certificate(accountId);
      if (!created.ok) return { result: created };
      const offered = documents.offer(accountId, created.value.pdf);
      return { result: offered.ok ? ok({ documentToken: offered.value }) : offered };
    },
    'account.delete': async (input, { principal, who }) => {
      const result = await core.services.deleteAccount(who, principal, input);
      if (!result.ok) return { result };
      documents.dropFor(principal.accountId);
      return { result, session: null };
    },
  };
}
