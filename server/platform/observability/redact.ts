// Personal data as the log may show it: enough to tell two recipients apart
// or to recognise one's own, never the whole phone number or address.

const DOT = '\u2022';

/** `+33612345678` -> `+336••••5678`: the country and first digit, then the last four. */
export function maskPhone(phone: string): string {
  const compact = phone.replace(/[\s().-]/g, '');
  if (compact.length <= 8) return DOT.repeat(Math.max(4, compact.length));
  return `${compact.slice(0, 4)}${DOT.repeat(4)}${compact.slice(-4)}`;
}

/** `jean.dupont@example.com` -> `j••••@e••••.com`: first letters and the top-level domain. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return DOT.repeat(4);
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const host = dot > 0 ? domain.slice(0, dot) : domain;
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${local[0]}${DOT.repeat(4)}@${host[0] ?? ''}${DOT.repeat(4)}${tld}`;
}

/** A phone number or an e-mail address, masked. */
export function maskRecipient(recipient: string): string {
  return recipient.includes('@') ? maskEmail(recipient) : maskPhone(recipient);
}
