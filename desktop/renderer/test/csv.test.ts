// CSV export: quoting, spreadsheet formula injection, and every page read.
import { describe, expect, it } from 'vitest';
import { csvFormat, readAllPages, toCsv } from '../src/api/csv.ts';

describe('CSV', () => {
  it('quotes commas, quotes and line breaks, and ends lines with CRLF', () => {
    const csv = toCsv([{ header: 'Name', value: (r: { n: string }) => r.n }, { header: 'Len', value: (r) => r.n.length }],
      [{ n: 'Martin, "& Fils"' }, { n: 'two\nlines' }]);
    expect(csv).toBe('Name,Len\r\n"Martin, ""& Fils""",16\r\n"two\nlines",9\r\n');
  });

  it('turns cells a spreadsheet would run as formulas into text', () => {
    const csv = toCsv([{ header: 'Name', value: (r: string) => r }], ['=HYPERLINK("x")', '+1', '@SUM(A1)', 'plain']);
    expect(csv.split('\r\n').slice(1, 5)).toEqual(['"\'=HYPERLINK(""x"")"', "'+1", "'@SUM(A1)", 'plain']);
  });

  it('follows nextPageToken to the end, or stops at the limit and says so', async () => {
    const pages: Record<string, { items: number[]; nextPageToken: string }> = {
      '': { items: [1, 2], nextPageToken: 'a' },
      a: { items: [3, 4], nextPageToken: 'b' },
      b: { items: [5], nextPageToken: '' },
    };
    const seen: string[] = [];
    const fetchPage = async (token: string) => { seen.push(token); return pages[token]!; };
    expect(await readAllPages(fetchPage)).toEqual({ rows: [1, 2, 3, 4, 5], truncated: false });
    expect(seen).toEqual(['', 'a', 'b']);
    expect(await readAllPages(fetchPage, 3)).toEqual({ rows: [1, 2, 3], truncated: true });
  });

  it('for French Excel: semicolons, a decimal comma, local times, and a byte-order mark', () => {
    const when = new Date(2026, 10, 24, 14, 30, 5);
    const csv = toCsv([
      { header: 'Nom', value: (r: { n: string }) => r.n },
      { header: 'Prix', value: () => ({ decimal: '49.90' }) },
      { header: 'Date', value: () => when },
    ], [{ n: 'Martin; Fils' }], csvFormat('excel', 'fr'));
    expect(csv).toBe('\uFEFFNom;Prix;Date\r\n"Martin; Fils";49,90;2026-11-24 14:30:05\r\n');
  });

  it('for English Excel: commas and a dot, local times, a byte-order mark', () => {
    const csv = toCsv([{ header: 'Price', value: () => ({ decimal: '49.90' }) }, { header: 'Date', value: () => new Date(2026, 0, 2, 3, 4, 5) }],
      [1], csvFormat('excel', 'en'));
    expect(csv).toBe('\uFEFFPrice,Date\r\n49.90,2026-01-02 03:04:05\r\n');
  });

  it('RFC 4180 in either language: commas, a dot, UTC ISO 8601, no byte-order mark', () => {
    const when = new Date(Date.UTC(2026, 10, 24, 13, 30, 5));
    for (const language of ['fr', 'en'] as const) {
      const csv = toCsv([{ header: 'Prix', value: () => ({ decimal: '49.90' }) }, { header: 'Date', value: () => when }], [1], csvFormat('rfc4180', language));
      expect(csv).toBe('Prix,Date\r\n49.90,2026-11-24T13:30:05.000Z\r\n');
    }
  });
});
