/**
 * The counter's staff login and its stages. The session slot of the counter's window holds the
 * staff session; a login under way may only take its next step (the core checks the stage).
 */
import QRCode from 'qrcode';
import { ok } from '../../core/result.js';
import type { HandlerContext, Handlers } from './types.js';

type StaffChannel =
  | 'staff.login'
  | 'staff.state'
  | 'staff.totp'
  | 'staff.enrolTotp'
  | 'staff.confirmTotp'
  | 'staff.replacePassword'
  | 'staff.logout'
  | 'staff.touch'
  | 'staff.changePassword';

export function staffHandlers({ core }: HandlerContext): Handlers<StaffChannel> {
  return {
    'staff.login': async (input, { who, token }) => {
      const granted = await core.staff.login(who, input);
      if (!granted.ok) return { result: granted };
      // A new login replaces whatever this window held.
      await core.staff.logout(who, token);
      return { result: ok({ stage: granted.value.stage }), session: granted.value.session };
    },
    'staff.state': async (_input, { token }) => {
      const state = await core.staff.state(token);
      return state.ok ? { result: state } : { result: state, session: null };
    },
    'staff.totp': async (input, { who, token }) => {
      const r = await core.staff.totp(who, token, input.code);
      return r.ok || r.error.code !== 'STAFF_LOCKED' ? { result: r } : { result: r, session: null };
    },
    'staff.enrolTotp': async (_input, { token }) => {
      const r = await core.staff.beginEnrolment(token);
      if (!r.ok) return { result: r };
      const qrSvg = await QRCode.toString(r.value.uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
      return { result: ok({ qrSvg, secret: r.value.secret }) };
    },
    'staff.confirmTotp': async (input, { who, token }) => ({ result: await core.staff.confirmEnrolment(who, token, input.code) }),
    'staff.replacePassword': async (input, { who, token }) => ({
      result: await core.staff.replacePassword(who, token, input.newPassword),
    }),
    'staff.logout': async (_input, { who, token }) => {
      await core.staff.logout(who, token);
      return { result: ok(null), session: null };
    },
    'staff.touch': () => Promise.resolve({ result: ok(null) }),
    'staff.changePassword': async (input, { who, token, staff }) => ({
      result: await core.staff.changePassword(who, token, staff, input),
    }),
  };
}
