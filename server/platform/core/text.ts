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
