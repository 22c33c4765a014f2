/** What the kiosk screens need to know before anyone logs in: brand, kiosk mode, consents, rules. */
import { CONSENT_TEXTS } from '../../config/consent-texts.js';
import { ok } from '../../core/result.js';
import type { HandlerContext, Handlers } from './types.js';

export function kioskHandlers({ core, config }: HandlerContext): Handlers<'app.info'> {
  const consentTexts = () => {
    const { privacyVersion, participationVersion } = config.policy.consents;
    const privacy = CONSENT_TEXTS[privacyVersion]?.privacy;
    const participation = CONSENT_TEXTS[participationVersion]?.participation;
    if (!privacy || !participation) throw new Error('consent texts missing for the configured versions');
    return { privacyVersion, participationVersion, privacy, participation };
  };
  return {
    'app.info': () =>
      Promise.resolve({
        result: ok({
          brand: { name: config.brand.name, primaryColor: config.brand.primaryColor },
          kiosk: config.kiosk,
          consents: consentTexts(),
          password: config.policy.password,
          lockHours: config.policy.login.lockMs / 3_600_000,
          postident: {
            available: core.deps.postident.available !== false,
            simulated: core.deps.postident.simulated,
            label: core.deps.postident.label,
          },
          minimumAge: config.policy.minimumAge,
          staffIdleMs: config.policy.staff.idleMs,
        }),
      }),
  };
}
