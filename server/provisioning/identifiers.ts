// The checks partners expect on what identifies a user: email, MSISDN, login
// and locale. Each failure is a field violation carrying the seed's number.
import validator from 'validator';
import { Validator } from '../platform/rpc/validation.ts';
import { LEGACY } from './legacy-codes.ts';
import type { IdentifierTypeName } from './provisioning.entity.ts';

/** The reasons an identifier is refused with; each is also the error's reason. */
export const IDENTIFIER_REASONS = ['INVALID_EMAIL', 'INVALID_MSISDN', 'INVALID_IDENTIFIER'] as const;

// E.164: a plus, a country code not starting with 0, 8 to 15 digits in all.
const MSISDN = /^\+[1-9][0-9]{7,14}$/;
// Separators people type inside phone numbers; removed before the check.
const PHONE_SEPARATORS = /[\s.()-]/g;
export const LOGIN = /^[a-z][a-z0-9._-]{2,63}$/;
export const LOGIN_RULE = 'must be 3 to 64 letters, digits, ".", "_" or "-", starting with a letter';

/**
 * Checks and normalises an identifier of that type: emails and logins are
 * lower-cased (so "Ann@x.fr" and "ann@x.fr" are the same account), MSISDNs
 * lose their separators. Returns the normalised value.
 */
export function checkIdentifier(v: Validator, type: IdentifierTypeName | undefined, raw: string, field = 'identifier'): string {
  const value = raw.trim();
  if (!type) return value; // the type's own violation is already recorded
  if (value === '') {
    v.add(field, 'is required', 'INVALID_IDENTIFIER', LEGACY.invalidIdentifier);
    return value;
  }
  if (type === 'email') {
    // validator's isEmail: RFC 5322 dot-atom or quoted local part, a domain
    // with a TLD; 254 characters at most (RFC 5321's path limit).
    if (value.length > 254 || !validator.isEmail(value)) {
      v.add(field, `"${value}" is not a valid email address`, 'INVALID_EMAIL', LEGACY.invalidEmail);
    }
    return value.toLowerCase();
  }
  if (type === 'msisdn') {
    const compact = value.replace(PHONE_SEPARATORS, '');
    if (!MSISDN.test(compact)) {
      v.add(field, `"${value}" is not a valid MSISDN: use E.164, "+" then 8 to 15 digits, for example +33612345678`, 'INVALID_MSISDN', LEGACY.invalidMsisdn);
    }
    return compact;
  }
  const login = value.toLowerCase();
  if (!LOGIN.test(login)) v.add(field, `"${value}" is not a valid login: it ${LOGIN_RULE}`, 'INVALID_IDENTIFIER', LEGACY.invalidIdentifier);
  return login;
}

/**
 * An identifier to search for (seed provsearch): checked as checkIdentifier
 * does, but every format error is INVALID_IDENTIFIER, legacy 21, the only one
 * that method documents ("identifier wrong format"), whatever the type.
 */
export function checkSearchedIdentifier(v: Validator, type: IdentifierTypeName | undefined, raw: string, field = 'identifier'): string {
  const own = new Validator();
  const value = checkIdentifier(own, type, raw, field);
  for (const violation of own.violations) v.add(violation.field, violation.description, 'INVALID_IDENTIFIER', LEGACY.invalidIdentifier);
  return value;
}

const LOCALE = /^([a-z]{2})[_-]([A-Z]{2})$/;
const LANGUAGE = /^[a-z]{2}$/;

/**
 * A locale as the seed describes it: ISO 639-1 language (lower-case), `_` or
 * `-`, ISO 3166-1 alpha-2 country (upper-case), both checked against the code
 * lists that `validator` maintains. With `languageAlone`, the language code
 * by itself too (`fr`), as seed provupdateaccount documents its Locale.
 */
export function checkLocale(v: Validator, raw: string, field = 'locale', { languageAlone = false } = {}): string {
  const value = raw.trim();
  if (value === '') {
    v.add(field, 'is required', 'REQUIRED');
    return value;
  }
  // Seed provupdateaccount documents a two-letter Locale ("Locale=fr").
  if (languageAlone && LANGUAGE.test(value)) {
    if (!validator.isISO6391(value)) v.add(field, `"${value}" is not an ISO 639-1 language code`, 'INVALID_LOCALE');
    return value;
  }
  const match = LOCALE.exec(value);
  if (!match) {
    const forms = languageAlone ? 'language_COUNTRY, language-COUNTRY or language, for example fr_FR, en-GB or fr' : 'language_COUNTRY or language-COUNTRY, for example fr_FR or en-GB';
    v.add(field, `"${value}" is not a locale: use ${forms}`, 'INVALID_LOCALE');
  } else if (!validator.isISO6391(match[1]!)) {
    v.add(field, `"${match[1]}" is not an ISO 639-1 language code`, 'INVALID_LOCALE');
  } else if (!validator.isISO31661Alpha2(match[2]!)) {
    v.add(field, `"${match[2]}" is not an ISO 3166-1 alpha-2 country code`, 'INVALID_LOCALE');
  }
  return value;
}
