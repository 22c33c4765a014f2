/** Page object of the kiosk: what a person sees and does, in either language. */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export interface Person {
  kvnr: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  email: string;
  username: string;
  password: string;
}

export const ERIKA: Person = {
  kvnr: 'a 12345678 0',
  firstName: 'Erika',
  lastName: 'Mustermann',
  birthDate: '12.08.1984',
  email: 'erika@example.org',
  username: 'erika.m',
  password: 'Heide*Blume7',
};

const both = (de: string, en: string) => new RegExp(`^(${de}|${en})$`);

export class KioskPage {
  readonly screens: string[] = [];

  constructor(readonly page: Page) {}

  button(de: string, en: string) {
    return this.page.getByRole('button', { name: both(de, en) });
  }

  async heading(): Promise<string> {
    return (await this.page.getByRole('heading', { level: 1 }).textContent()) ?? '';
  }

  async expectHeading(de: string, en: string): Promise<void> {
    await expect(this.page.getByRole('heading', { level: 1 })).toHaveText(both(de, en));
  }

  async expectStep(n: number): Promise<void> {
    await expect(this.page.locator('.steps li[aria-current="step"] .number')).toHaveText(String(n));
  }

  async toEnglish(): Promise<void> {
    await this.page.getByRole('button', { name: 'Sprache wechseln: English' }).click();
    await expect(this.page.locator('html')).toHaveAttribute('lang', 'en');
  }

  /** No axe-core violations on the current screen; also keeps a screenshot for the README. */
  async checkScreen(name: string, fullPage = true): Promise<void> {
    const results = await new AxeBuilder({ page: this.page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    if (process.env['KONTOKIOSK_SCREENSHOTS']) {
      await this.page.screenshot({ path: `${process.env['KONTOKIOSK_SCREENSHOTS']}/${name}.png`, fullPage });
    }
    this.screens.push(name);
  }

  async register(person: Person): Promise<void> {
    await this.button('Onlinekonto anlegen.*', 'Create online account.*').click();
    await this.fillRegistration(person);
    await this.button('Konto anlegen', 'Create account').click();
  }

  async fillRegistration(person: Person, consent = true): Promise<void> {
    const p = this.page;
    await p.locator('#reg-kvnr').fill(person.kvnr);
    await p.locator('#reg-birth').fill(person.birthDate);
    await p.locator('#reg-first').fill(person.firstName);
    await p.locator('#reg-last').fill(person.lastName);
    await p.locator('#reg-email').fill(person.email);
    await p.locator('#reg-username').fill(person.username);
    await p.locator('#reg-password').fill(person.password);
    await p.locator('#reg-password2').fill(person.password);
    if (consent) {
      await p.locator('#reg-privacy').check();
      await p.locator('#reg-participation').check();
    }
  }

  async confirmEmail(email: string, code: string): Promise<void> {
    await this.page.locator('#confirm-email').fill(email);
    await this.page.locator('#confirm-code').fill(code);
    await this.button('Bestätigen', 'Confirm').click();
  }

  async login(username: string, password: string): Promise<void> {
    await this.button('Anmelden.*', 'Log in.*').first().click();
    await this.page.locator('#login-username').fill(username);
    await this.page.locator('#login-password').fill(password);
    await this.button('Anmelden', 'Log in').click();
  }

  async logout(): Promise<void> {
    await this.button('Beenden und abmelden', 'Finish and log out').first().click();
    await this.expectHeading('Willkommen bei Kontokiosk', 'Welcome to Kontokiosk');
  }

  async enterKey(key: string): Promise<void> {
    await this.page.locator('#key-input').fill(key);
    await this.button('Schlüssel prüfen', 'Check key').click();
  }

  errorCode() {
    return this.page.locator('[role="alert"][data-code]');
  }
}
