/** Identity confirmation (R4): the activation letter and POSTIDENT. */
import QRCode from 'qrcode';
import { ok } from '../../core/result.js';
import { andThen, type HandlerContext, type Handlers } from './types.js';

type IdentityChannel = 'identity.requestLetter' | 'identity.enterKey' | 'identity.startPostident' | 'identity.printCoupon';

export function identityHandlers({ core, view }: HandlerContext): Handlers<IdentityChannel> {
  return {
    'identity.requestLetter': async (_input, { accountId, who }) => ({
      result: await andThen(await core.identity.requestLetter(who, accountId), () => view(accountId)),
    }),
    'identity.enterKey': async (input, { accountId, who }) => ({
      result: await andThen(await core.identity.enterKey(who, accountId, input.key), () => view(accountId)),
    }),
    'identity.startPostident': async (_input, { accountId, who }) => {
      const started = await core.identity.startPostident(who, accountId);
      if (!started.ok) return { result: started };
      const qrSvg = await QRCode.toString(started.value.continueUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
      return { result: ok({ ...started.value, qrSvg }) };
    },
    'identity.printCoupon': async (_input, { accountId, who }) => ({ result: await core.identity.printCoupon(who, accountId) }),
  };
}
