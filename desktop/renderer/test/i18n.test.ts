/// <reference types="node" />
// The console's messages: French and English have the same keys (plural forms
// aside: each has its language's), the same {{values}} in each message, and
// every key the code names exists in both. And no text reaches the screen
// without going through them: the renderer's JSX is read with TypeScript's
// parser, and text or a labelling attribute written as a literal fails here.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { en } from '../src/i18n/en.ts';
import { fr } from '../src/i18n/fr.ts';
import { createI18n } from '../src/i18n/index.ts';

type Tree = { readonly [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const PLURAL = /_(zero|one|two|few|many|other)$/;
const base = (key: string) => key.replace(PLURAL, '');
const values = (message: string) => [...message.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

const messages = { en: flatten(en), fr: flatten(fr as Tree) };
const SRC = join(import.meta.dirname, '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'i18n' ? [] : sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('messages', () => {
  it('French and English have the same keys', () => {
    const keys = (lng: 'en' | 'fr') => new Set([...messages[lng].keys()].map(base));
    const missingInFr = [...keys('en')].filter((k) => !keys('fr').has(k));
    const missingInEn = [...keys('fr')].filter((k) => !keys('en').has(k));
    expect({ missingInFr, missingInEn }).toEqual({ missingInFr: [], missingInEn: [] });
  });

  it('a plural message has the forms each language needs (one and other in both)', () => {
    for (const lng of ['en', 'fr'] as const) {
      const plurals = new Set([...messages[lng].keys()].filter((k) => PLURAL.test(k)).map(base));
      for (const key of plurals) {
        expect(messages[lng].has(`${key}_one`), `${lng} ${key}_one`).toBe(true);
        expect(messages[lng].has(`${key}_other`), `${lng} ${key}_other`).toBe(true);
      }
    }
  });

  it('each message has the same {{values}} in both languages, and is empty in both or in neither', () => {
    for (const [key, english] of messages.en) {
      const french = messages.fr.get(key) ?? messages.fr.get(`${base(key)}_other`) ?? '';
      expect(values(french), key).toEqual(values(english));
      expect(french === '', key).toBe(english === '');
    }
  });

  it('every key the code names exists in both languages', () => {
    const namespaces = new Set(Object.keys(en));
    const used = new Map<string, string>();
    for (const file of sources(SRC)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/['"`]([a-z][A-Za-z]*(?:\.[A-Za-z][A-Za-z0-9_]*)+)['"`]/g)) {
        const key = match[1]!;
        if (namespaces.has(key.split('.')[0]!)) used.set(key, relative(SRC, file));
      }
    }
    expect(used.size).toBeGreaterThan(300);
    const known = (lng: 'en' | 'fr', key: string) => messages[lng].has(key) || messages[lng].has(`${key}_other`);
    const unknown = [...used].filter(([key]) => !known('en', key) || !known('fr', key)).map(([key, file]) => `${key} (${file})`);
    expect(unknown).toEqual([]);
  });

  it('a key defined in neither language fails this test (the check above is not vacuous)', () => {
    const known = (key: string) => messages.en.has(key) || messages.fr.has(key);
    expect(known('clients.title')).toBe(true);
    expect(known('clients.titel')).toBe(false);
  });

  it('formats in each language: French plurals, English plurals', () => {
    const fr_ = createI18n('fr');
    const en_ = createI18n('en');
    expect(fr_.t('export.done', { count: 1 })).toBe('1 ligne exportée');
    expect(fr_.t('export.done', { count: 3 })).toBe('3 lignes exportées');
    expect(en_.t('export.done', { count: 1 })).toBe('1 row exported');
    expect(en_.t('export.done', { count: 3 })).toBe('3 rows exported');
  });
});

/** Attributes that people read or hear: they must come from the messages. */
const READ_ATTRIBUTES = new Set(['label', 'title', 'aria-label', 'placeholder', 'alt', 'submitLabel', 'confirmLabel', 'caption', 'what', 'header', 'hint', 'accessibleLabel', 'disabledReason']);
/** Literal text allowed on screen: symbols, and input examples that read the same in every language. */
const ALLOWED = new Set(['ck_…', 'cs_…', '×', '›', '☰', '↕', '▲', '▼', '—', '·', '*', ' *', 'Français', 'English']);

describe('no text outside the messages', () => {
  it('JSX text and labelling attributes are never literal words', () => {
    const found: string[] = [];
    for (const file of sources(SRC).filter((f) => f.endsWith('.tsx'))) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
      const visit = (node: ts.Node) => {
        const where = () => `${relative(SRC, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        if (ts.isJsxText(node)) {
          const text = node.getText().trim();
          if (/\p{L}/u.test(text) && !ALLOWED.has(text)) found.push(`${where()} text "${text}"`);
        }
        if (ts.isJsxAttribute(node) && node.initializer && ts.isStringLiteral(node.initializer)) {
          const name = node.name.getText();
          const text = node.initializer.text;
          if (READ_ATTRIBUTES.has(name) && /\p{L}/u.test(text) && !ALLOWED.has(text)) found.push(`${where()} ${name}="${text}"`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(found).toEqual([]);
  });
});
