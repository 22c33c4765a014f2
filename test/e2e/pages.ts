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
    await this.toLanguage('English', 'en');
  }

  /** The language switch names each language in itself; the chosen one is pressed and sets the page's lang. */
  async toLanguage(name: 'Deutsch' | 'English' | 'Türkçe', lang: 'de' | 'en' | 'tr'): Promise<void> {
    const choice = this.page.getByRole('group', { name: /^(Sprache|Language|Dil)$/ }).getByRole('button', { name, exact: true });
    await choice.click();
    await expect(choice).toHaveAttribute('aria-pressed', 'true');
    await expect(this.page.locator('html')).toHaveAttribute('lang', lang);
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
      // A tick box opens only once its text has been read to the end.
      await this.readConsent('privacy');
      await p.locator('#reg-privacy').check();
      await this.readConsent('participation');
      await p.locator('#reg-participation').check();
    }
  }

  /** Opens a consent text, scrolls it to its end and closes it again. */
  async readConsent(kind: 'privacy' | 'participation'): Promise<void> {
    await this.page.locator(`#reg-read-${kind}`).click();
    const dialog = this.page.getByTestId('consent-dialog');
    await dialog.locator('.consent-text').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect(dialog.getByTestId('consent-read')).toHaveText(/bis zum Ende gelesen|You have read the text|sonuna kadar okudunuz/);
    await dialog.getByRole('button', { name: /^(Schließen|Close|Kapat)$/ }).click();
    await expect(this.page.locator(`#reg-${kind}`)).toBeEnabled();
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

  /** The one message above the screen (an alert), or a form's error summary (focused, not a live region). */
  errorCode() {
    return this.page.locator('[role="alert"][data-code], .error-summary[data-code]');
  }
}
