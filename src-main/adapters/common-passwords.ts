/** The common-password list of zxcvbn-ts (about 49,000 entries, lower case). */
import { dictionary } from '@zxcvbn-ts/language-common';
import type { CommonPasswords } from '../core/ports.js';

export function loadCommonPasswords(): CommonPasswords {
  const list = new Set(dictionary['passwords-common']);
  return { isCommon: (password) => list.has(password.toLowerCase()) };
}

export const commonPasswordCount = (): number => dictionary['passwords-common'].length;
