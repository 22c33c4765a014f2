/**
 * What a person and staff see when mail does not go out at once: a mail server that refuses the
 * connection leaves the registration on its way (the screen says so, and the mail goes once the
 * server is back); a server that refuses the recipient for good tells the person at once and puts
 * the message on the counter's list of messages not delivered, until staff mark it dealt with.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { h1, staffReady } from '../counter-staff.js';
import { test, expect, openKiosk } from '../kiosk.js';
import { ERIKA, KioskPage } from '../pages.js';

const STAFF = 'carla.berger';

/** An SMTP server on 127.0.0.1 that refuses every recipient (550), for the length of one test. */
async function refusingServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(_address, _session, callback) {
      callback(Object.assign(new Error('Recipient address rejected'), { responseCode: 550 }));
    },
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

test.describe('a mail server that does not take the mail at once', () => {
  // Port 1 on loopback: nothing listens, the connection is refused at once: a try worth repeating.
  test.use({ kioskConfig: { mail: { smtp: { host: '127.0.0.1', port: 1, requireTls: false } } } });

  test('the registration goes on, and the screen says the e-mail is on its way', async ({ page, kiosk }) => {
    const k = new KioskPage(page);
    await openKiosk(page, kiosk);
    await k.register(ERIKA);
    await k.expectStep(2);
    await expect(page.getByTestId('notice')).toContainText('Ihre E-Mail ist gespeichert und wird in den nächsten Minuten zugestellt');
    await k.checkScreen('delivery-on-its-way');
  });
});

test.describe('a mail server that refuses the recipient', () => {
  let server: Awaited<ReturnType<typeof refusingServer>>;
  test.use({
    kioskStaff: [{ username: STAFF, role: 'staff' }],
    kioskConfig: async ({}, use) => {
      server = await refusingServer();
      await use({ mail: { smtp: { host: '127.0.0.1', port: server.port, requireTls: false } } });
      await server.close();
    },
  });

  test('the person hears it at once; the counter lists it until a clerk marks it dealt with', async ({ page, context, kiosk }) => {
    const k = new KioskPage(page);
    await openKiosk(page, kiosk);
    await k.register(ERIKA);
    await k.expectStep(2);
    await expect(page.getByTestId('notice')).toContainText('konnte gerade nicht versendet werden');

    const staff = await staffReady(await context.newPage(), kiosk, STAFF);
    const counter = staff.page;
    await counter.getByRole('navigation').getByRole('button', { name: 'Posteingang' }).click();
    await expect(h1(counter)).toHaveText('Posteingang');
    const list = counter.getByTestId('undelivered');
    const row = list.locator('tbody tr');
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('E-Mail mit Code (EMAIL_CODE)');
    await expect(row).toContainText(ERIKA.username);
    await expect(row).toContainText('vom Empfänger-Server abgelehnt (550)');
    await expect(row).toContainText('1 Versuch');
    if (process.env['KONTOKIOSK_SCREENSHOTS']) {
      await counter.screenshot({ path: `${process.env['KONTOKIOSK_SCREENSHOTS']}/counter-undelivered.png`, fullPage: true });
    }
    await row.getByRole('button', { name: 'Erledigt', exact: true }).click();
    await expect(counter.getByTestId('notice')).toHaveText('Der Eintrag ist erledigt.');
    await expect(list).toHaveCount(0);
  });
});
