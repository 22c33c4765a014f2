/** What the kiosk screens need to know before anyone logs in: brand, kiosk mode, consents, rules. */
import { ok } from '../../core/result.js';
import type { HandlerContext, Handlers } from './types.js';

export function kioskHandlers({ core, config, consentTexts }: HandlerContext): Handlers<'app.info'> {
  const { privacyVersion, participationVersion } = config.policy.consents;
  // Only dispatchers built without the app (tests) lack the texts: the versions still name what is accepted.
  const consents = consentTexts ?? { privacyVersion, participationVersion, privacy: { de: [], en: [] }, participation: { de: [], en: [] } };
  return {
    'app.info': () =>
      Promise.resolve({
        result: ok({
          brand: { name: config.brand.name, primaryColor: config.brand.primaryColor },
          // The insurer's contact as printed on letters, for the accessibility statement.
          service: { hint: config.brand.serviceHint, contact: config.brand.serviceContact },
          kiosk: config.kiosk,
          consents,
          password: config.policy.password,
          lockHours: config.policy.login.lockMs / 3_600_000,
          postident: {
            available: core.deps.postident.available !== false,
            simulated: core.deps.postident.simulated,
            label: core.deps.postident.label,
          },
          minimumAge: config.policy.minimumAge,
          staffIdleMs: config.policy.staff.idleMs,
          helpText: config.kiosk.helpText,
        }),
      }),
  };
}
