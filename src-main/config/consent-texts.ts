/** The versioned consent texts. A new version gets a new key; accepted versions are stored per account. */
export const CONSENT_TEXTS: Record<string, { privacy: { de: string; en: string }; participation: { de: string; en: string } }> = {
  '2026-01': {
    privacy: {
      de: 'Wir verarbeiten die Daten Ihres Onlinekontos (Benutzername, E-Mail-Adresse, Anmeldeereignisse) nur, um Ihnen die Online-Services bereitzustellen und Ihr Konto zu schützen. Ihre Stammdaten stammen aus unserem Versichertenverzeichnis. Sie können Ihr Onlinekonto jederzeit löschen; dann löschen wir die Kontodaten.',
      en: 'We process the data of your online account (username, e-mail address, login events) only to provide the online services and to protect your account. Your master data comes from our register of insured persons. You can delete your online account at any time; we then delete the account data.',
    },
    participation: {
      de: 'Sie nutzen das Onlinekonto persönlich und halten Ihre Zugangsdaten geheim. Bestimmte Services sind zusätzlich geschützt, zum Beispiel durch eine mTAN. Wir dürfen den Zugang sperren, wenn Missbrauch zu befürchten ist.',
      en: 'You use the online account personally and keep your access data secret. Some services have additional protection, for example an mTAN. We may lock access when misuse is to be feared.',
    },
  },
};
