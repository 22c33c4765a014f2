/**
 * The kiosk window's only door to the main process: one function per kiosk channel and the
 * document printer, nothing else (the counter window has its own, counter-preload.ts). Runs
 * sandboxed with context isolation; it passes payloads through untouched, since the main process
 * validates everything itself.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { KontokioskBridge } from '../../ipc/bridge.js';

const invoke =
  <C extends keyof KontokioskBridge>(channel: C) =>
  (payload: Parameters<KontokioskBridge[C]>[0]) =>
    ipcRenderer.invoke(channel, payload) as ReturnType<KontokioskBridge[C]>;

const bridge: KontokioskBridge = {
  'app.info': invoke('app.info'),
  'registration.submit': invoke('registration.submit'),
  'session.login': invoke('session.login'),
  'session.logout': invoke('session.logout'),
  'session.touch': invoke('session.touch'),
  'session.moreTime': invoke('session.moreTime'),
  'onboarding.state': invoke('onboarding.state'),
  'email.confirm': invoke('email.confirm'),
  'email.resend': invoke('email.resend'),
  'identity.requestLetter': invoke('identity.requestLetter'),
  'identity.enterKey': invoke('identity.enterKey'),
  'identity.startPostident': invoke('identity.startPostident'),
  'identity.printCoupon': invoke('identity.printCoupon'),
  'mailbox.decide': invoke('mailbox.decide'),
  'password.forgot': invoke('password.forgot'),
  'password.reset': invoke('password.reset'),
  'username.forgot': invoke('username.forgot'),
  'username.reveal': invoke('username.reveal'),
  'password.change': invoke('password.change'),
  'session.loginCode': invoke('session.loginCode'),
  'session.lockNotice': invoke('session.lockNotice'),
  'mtan.start': invoke('mtan.start'),
  'mtan.card': invoke('mtan.card'),
  'mtan.phone': invoke('mtan.phone'),
  'mtan.resend': invoke('mtan.resend'),
  'mtan.confirm': invoke('mtan.confirm'),
  'mtan.leave': invoke('mtan.leave'),
  'tan.request': invoke('tan.request'),
  'receipt.view': invoke('receipt.view'),
  'personal.data': invoke('personal.data'),
  'contact.changeEmail': invoke('contact.changeEmail'),
  'contact.confirmEmail': invoke('contact.confirmEmail'),
  'contact.changeMobile': invoke('contact.changeMobile'),
  'mailbox.list': invoke('mailbox.list'),
  'mailbox.write': invoke('mailbox.write'),
  'mailbox.markRead': invoke('mailbox.markRead'),
  'certificate.create': invoke('certificate.create'),
  'account.delete': invoke('account.delete'),
  'password.chooseOwn': invoke('password.chooseOwn'),
  'help.request': invoke('help.request'),
  'document.print': (token: string) => ipcRenderer.invoke('document.print', token) as Promise<boolean>,
};

contextBridge.exposeInMainWorld('kontokiosk', bridge);
