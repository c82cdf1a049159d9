// Search and sort keys that ignore case and accents, the same on every
// database: SQLite has no accent-insensitive collation and PostgreSQL's depend
// on how the server was built, so the key is computed here, stored beside the
// text it folds (a `search_text` or `name_key` column kept by the writes), and
// the search text a caller types is folded the same way before it is compared.

/** Letters NFKD does not decompose, spelled as a French reader would type them. */
const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', đ: 'd', ł: 'l', ı: 'i' };

/**
 * `Lefèvre & Œuvre` -> `lefevre & oeuvre`: decomposed, marks removed,
 * lower-cased, ligatures spelled out. Compatibility decomposition can lengthen
 * a text (`ﬁ` -> `fi`), so a key to store is cut to its column's length `max`.
 */
export function fold(text: string, max = Infinity): string {
  const folded = text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[œæßøđłı]/g, (c) => LIGATURES[c]!);
  return folded.length > max ? folded.slice(0, max) : folded;
}

/** The folded parts joined by a space, cut to `max`: one searchable text for several fields. */
export function searchText(max: number, ...parts: (string | null | undefined)[]): string {
  return fold(parts.filter((part): part is string => !!part).join(' '), max);
}

// Names that go into the platform's own messages (invitations by SMS and
// e-mail) are chosen by resellers: a name that reads as a link, or hides text
// with control or bidirectional characters, would let anyone send phishing
// through the platform's sender. Compared after NFKC, so full-width dots and
// letters count as the ASCII they look like.

/** A scheme (`https://`), `www.`, an address (`@host.tld`), or a dotted host name (`example.com`, `bit.ly`). */
const LINK = /[a-z][a-z0-9+.-]*:\/\/|\bwww\.|@[\p{L}\p{N}-]+\.[\p{L}\p{N}]|[\p{L}\p{N}-]\.(?:[\p{L}\p{N}-]+\.)*[\p{L}]{2,}/iu;
/** C0/C1 controls (tabs and line breaks too), line and paragraph separators, bidirectional controls, invisible spaces. */
const HIDDEN = /[\p{Cc}\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]/u;

/** Whether `text` holds something a phone or mail client would turn into a link. */
export function looksLikeLink(text: string): boolean {
  return LINK.test(text.normalize('NFKC'));
}

/** Whether `text` holds a control, bidirectional or invisible character. */
export function hasHiddenCharacters(text: string): boolean {
  return HIDDEN.test(text);
}

/**
 * A name made safe to put in a message, for names stored before they were
 * checked: hidden characters removed, and every dot of link-like text
 * written `[.]` and `://` written `[:]//`, so no client makes a link of it.
 */
export function neutraliseForMessage(text: string): string {
  const visible = text.normalize('NFKC').replace(new RegExp(HIDDEN.source, 'gu'), '');
  return looksLikeLink(visible) ? visible.replaceAll('://', '[:]//').replaceAll('.', '[.]') : visible;
}
