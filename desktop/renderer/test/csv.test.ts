// CSV export: quoting, spreadsheet formula injection, and every page read.
import { describe, expect, it } from 'vitest';
import { readAllPages, toCsv } from '../src/api/csv.ts';

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
});
