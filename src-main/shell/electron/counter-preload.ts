/**
 * The counter window's only door to the main process: one function per counter channel, nothing
 * else (no kiosk channel, no printing). Exposed as `window.kontokioskCounter`, a name the kiosk's
 * renderer never reads. Threat: a kiosk window given this bridge would put staff actions within
 * reach of anyone at the kiosk, so only the counter window loads this file (see terminal.ts), and
 * the main process answers these channels only in a counter process whatever a window sends.
 * Runs sandboxed with context isolation; payloads pass through untouched, since the main process
 * validates everything itself.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { CounterBridge } from '../../ipc/bridge.js';

const invoke =
  <C extends keyof CounterBridge>(channel: C) =>
  (payload: Parameters<CounterBridge[C]>[0]) =>
    ipcRenderer.invoke(channel, payload) as ReturnType<CounterBridge[C]>;

const bridge: CounterBridge = {
  'app.info': invoke('app.info'),
  'staff.login': invoke('staff.login'),
  'staff.state': invoke('staff.state'),
  'staff.totp': invoke('staff.totp'),
  'staff.enrolTotp': invoke('staff.enrolTotp'),
  'staff.confirmTotp': invoke('staff.confirmTotp'),
  'staff.replacePassword': invoke('staff.replacePassword'),
  'staff.logout': invoke('staff.logout'),
  'staff.touch': invoke('staff.touch'),
  'staff.changePassword': invoke('staff.changePassword'),
  'counter.search': invoke('counter.search'),
  'counter.account': invoke('counter.account'),
  'counter.confirmIdentity': invoke('counter.confirmIdentity'),
  'counter.liftLock': invoke('counter.liftLock'),
  'counter.reactivate': invoke('counter.reactivate'),
  'counter.temporaryPassword': invoke('counter.temporaryPassword'),
  'counter.newActivationLetter': invoke('counter.newActivationLetter'),
  'counter.issueLoginCode': invoke('counter.issueLoginCode'),
  'counter.resendEmailCode': invoke('counter.resendEmailCode'),
  'counter.deleteAccount': invoke('counter.deleteAccount'),
  'inbox.list': invoke('inbox.list'),
  'inbox.read': invoke('inbox.read'),
  'inbox.answer': invoke('inbox.answer'),
  'help.list': invoke('help.list'),
  'help.done': invoke('help.done'),
  'undelivered.list': invoke('undelivered.list'),
  'undelivered.dismiss': invoke('undelivered.dismiss'),
  'staff.list': invoke('staff.list'),
  'staff.create': invoke('staff.create'),
  'staff.change': invoke('staff.change'),
  'register.importBegin': invoke('register.importBegin'),
  'register.importChunk': invoke('register.importChunk'),
  'register.importFinish': invoke('register.importFinish'),
  'audit.verify': invoke('audit.verify'),
  'dashboard.stats': invoke('dashboard.stats'),
};

contextBridge.exposeInMainWorld('kontokioskCounter', bridge);
