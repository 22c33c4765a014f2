/**
 * Which TAN to send for which service action (R8). The action's parameters are normalised here
 * exactly as the action will use them, so the TAN is bound to what the person will then confirm;
 * malformed parameters are refused before any SMS goes out.
 */
import type { Actor, CoreDeps } from '../deps.js';
import { isValidEmail, normalizeEmail } from '../email/address.js';
import { fail, type Result } from '../result.js';
import { parseMobile } from './phone.js';
import { requestTan } from './tan.js';

export type TanRequest =
  | { readonly action: 'RECEIPT_VIEW' }
  | { readonly action: 'CHANGE_MOBILE'; readonly phone: string }
  | { readonly action: 'CHANGE_EMAIL'; readonly email: string };

/** Sends a TAN for an action, with its parameters normalised exactly as the action will use them. */
export async function requestTanFor(
  deps: CoreDeps,
  who: Actor,
  accountId: string,
  request: TanRequest,
): Promise<Result<{ expiresAt: string; sentTo: string }>> {
  switch (request.action) {
    case 'RECEIPT_VIEW':
      return requestTan(deps, who, accountId, 'RECEIPT_VIEW', {});
    case 'CHANGE_MOBILE': {
      const parsed = parseMobile(request.phone, deps.policy.mtan.defaultRegion);
      if (!parsed.ok) return fail(parsed.reason);
      return requestTan(deps, who, accountId, 'CHANGE_MOBILE', { phone: parsed.e164 });
    }
    case 'CHANGE_EMAIL': {
      const email = normalizeEmail(request.email);
      if (!isValidEmail(email)) return fail('EMAIL_INVALID');
      return requestTan(deps, who, accountId, 'CHANGE_EMAIL', { email });
    }
  }
}
