// The end customer's contact on an interface order (seed 003: client), its
// checks, and the subdomain made from it when the order names none.
import type { CustomerContact as ContactMessage } from '../../gen/reseller/v1/interfaces_pb.js';
import type { Validator } from '../platform/rpc/validation.ts';
import type { CustomerContact } from './interfaces.entity.ts';

/** ISO 3166-1 alpha-2, officially assigned codes. */
const COUNTRIES = new Set((
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
  'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
  'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
  'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
  'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
  'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW').split(' '));

const EMAIL = /^[^\s@"'<>(),;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
/** International (+ and 7 to 15 digits, E.164) or national (a leading 0 and 9 to 14 digits). */
const PHONE = /^(?:\+[1-9][0-9]{6,14}|0[0-9]{8,13})$/;
const PHONE_SEPARATORS = /[\s.\-()/]/g;
/** France (and its overseas departments) has five-digit codes; elsewhere 2 to 10 letters, digits, spaces or dashes. */
const POSTAL_CODE_FR = /^[0-9]{5}$/;
const POSTAL_CODE = /^[A-Za-z0-9](?:[A-Za-z0-9 -]{0,8}[A-Za-z0-9])$/;
/** APE/NAF activity code: 4791A or 47.91A. */
const APE = /^[0-9]{2}\.?[0-9]{2}[A-Za-z]$/;
const FRENCH_POSTAL = new Set(['FR', 'GP', 'MQ', 'GF', 'RE', 'YT', 'PM', 'BL', 'MF', 'MC']);

/** Checks every field of the contact (violations under `contact.<field>`) and returns it cleaned. */
export function validContact(v: Validator, contact: ContactMessage | undefined): CustomerContact {
  const c = contact ?? { lastName: '', firstName: '', company: '', address: '', postalCode: '', city: '', country: '', phone: '', email: '', rcs: '', ape: '' };
  const lastName = v.text('contact.lastName', c.lastName, { max: 100 });
  const firstName = v.text('contact.firstName', c.firstName, { min: 0, max: 100 });
  const company = v.text('contact.company', c.company, { min: 0, max: 200 });
  const address = v.text('contact.address', c.address, { max: 300 });
  const city = v.text('contact.city', c.city, { max: 100 });
  const country = c.country.trim().toUpperCase();
  if (!country) v.add('contact.country', 'is required', 'REQUIRED');
  else if (!COUNTRIES.has(country)) v.add('contact.country', `"${c.country}" is not an ISO 3166-1 alpha-2 country code (such as FR)`, 'INVALID_COUNTRY');
  const postalCode = c.postalCode.trim().toUpperCase();
  if (!postalCode) v.add('contact.postalCode', 'is required', 'REQUIRED');
  else if (FRENCH_POSTAL.has(country) ? !POSTAL_CODE_FR.test(postalCode) : !POSTAL_CODE.test(postalCode)) {
    v.add('contact.postalCode', FRENCH_POSTAL.has(country) ? 'must be five digits in France' : 'is not a valid postal code', 'INVALID_POSTAL_CODE');
  }
  const phone = c.phone.trim();
  if (!phone) v.add('contact.phone', 'is required', 'REQUIRED');
  else if (phone.length > 32 || !PHONE.test(phone.replace(PHONE_SEPARATORS, ''))) {
    v.add('contact.phone', 'must be a phone number such as +33 1 23 45 67 89 or 01 23 45 67 89', 'INVALID_PHONE');
  }
  const email = c.email.trim();
  if (!email) v.add('contact.email', 'is required', 'REQUIRED');
  else if (email.length > 254 || !EMAIL.test(email)) v.add('contact.email', `"${email}" is not a valid email address`, 'INVALID_EMAIL');
  const rcs = v.text('contact.rcs', c.rcs, { min: 0, max: 64 });
  const ape = c.ape.trim().toUpperCase();
  if (ape && !APE.test(ape)) v.add('contact.ape', 'must be an APE/NAF code such as 4791A', 'INVALID_FORMAT');
  return { lastName, firstName, company, address, postalCode, city, country, phone, email, rcs, ape };
}

/** A DNS label: lower-case letters, digits and inner dashes, at most 63 characters. */
export const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Names the platform itself uses under the interface domain. */
export const RESERVED_SUBDOMAINS = new Set(['www', 'forms', 'admin', 'api', 'mail', 'static']);

/** The subdomain the seed falls back to: the company name, or else the last name, as a DNS label. */
export function subdomainFrom(contact: CustomerContact): string {
  const label = (contact.company || contact.lastName)
    .normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')
    .slice(0, 55).replace(/-+$/, '');
  return label && !RESERVED_SUBDOMAINS.has(label) ? label : 'shop';
}
