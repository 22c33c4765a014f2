/**
 * Usernames: ASCII letters, digits, '.', '-', '_', 6-32 characters, unique without regard to case.
 * ASCII only, so that look-alike letters from other scripts cannot impersonate another username.
 */
const USERNAME_PATTERN = /^[A-Za-z0-9._-]{6,32}$/;

export function usernameKey(username: string): string {
  return username.normalize('NFKC').trim().toLowerCase();
}

export function isValidUsername(username: string): boolean {
  return USERNAME_PATTERN.test(username);
}
