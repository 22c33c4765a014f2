/**
 * Electron's security checklist, applied once for the whole app: no navigation outside our own
 * page (never to file://, PDFs included), no redirects, no new windows, no webviews, every
 * permission request denied, and IPC accepted only from our own window and page.
 */
import { app, session, type IpcMainInvokeEvent, type WebContents } from 'electron';

/** A navigation the renderer starts may go only to our page; file:// is refused whatever it names. */
function navigationAllowed(url: string, isAppUrl: (url: string) => boolean): boolean {
  if (/^\s*file:/i.test(url)) return false;
  return isAppUrl(url);
}

function lockDownContents(contents: WebContents, isAppUrl: (url: string) => boolean): void {
  contents.on('will-navigate', (event, url) => {
    if (!navigationAllowed(url, isAppUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export function denyAllPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.setDevicePermissionHandler(() => false);
}

export function installGlobalGuards(isAppUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents) => lockDownContents(contents, isAppUrl));
}

/** The sender must be our window's top frame, showing our page. */
export function trustedSender(event: IpcMainInvokeEvent, expected: WebContents | undefined, isAppUrl: (url: string) => boolean): boolean {
  const frame = event.senderFrame;
  return expected !== undefined && event.sender === expected && frame !== null && frame === expected.mainFrame && isAppUrl(frame.url);
}
