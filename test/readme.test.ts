// The documentation works as written, and answers as it says. Every ```sh block
// of README.md and of every docs/**/*.md runs, in order, in one bash session per
// document, against a fresh server started the way the README says (only the
// port differs). A document under docs/ continues from the README's tour: its
// session runs the README's blocks first (their answers are checked in the
// README's own run), so it may use BASE, ADMIN_TOKEN, RESELLER_ID and TOKEN.
//
// How a document shows an answer (docs/guide/README.md says the same to writers):
//   - A fenced block whose info string is `json output` or `text output` shows
//     what the ```sh block before it prints, all of it.
//   - A block that prints something shows it; a block that prints nothing has
//     no output block. An output block with no ```sh block before it (or a
//     second one for the same block) fails the test.
//   - In an output block, these stand for what changes from run to run:
//       <id>     a UUID                      <time>    an RFC 3339 UTC timestamp
//       <etag>   an etag                     <token>   a bearer token
//       <secret> a client secret             <number>  digits
//     and `...` on a line of its own stands for any lines (none too); anywhere
//     else on a line, for any text up to the next character shown. Everything
//     else must be the same, line for line (trailing spaces aside).
//   - ```bash blocks are shown, not run (they start servers, or need a terminal).
// Commands: a document never says `node <file>.ts` (the system Node may be older
// than the project's; npm scripts run the project's), and every `npm run <x>` it
// names is a script in package.json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { spawn } from 'node:child_process';
import { startServer, type TestServer } from './support/server.ts';

const ROOT = join(import.meta.dirname, '..');
const START_ENV = { ADMIN_CLIENT_ID: 'ck_tour_admin', ADMIN_CLIENT_SECRET: 'change-me-0123456789', INTERFACE_INSTALL_DELAY_SECONDS: '0', JOB_INTERVAL_MS: '200' };

interface Block {
  /** The fence's info string: `sh`, `bash`, `json output`, ... */
  info: string;
  text: string;
  line: number;
}

/** The fenced blocks of a Markdown text, at the top level (a longer fence may quote a shorter one). */
function fencedBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    const body: string[] = [];
    let j = i + 1;
    const closes = (line: string) => (/^(`{3,})\s*$/.exec(line)?.[1]?.length ?? 0) >= fence.length;
    while (j < lines.length && !closes(lines[j]!)) {
      body.push(lines[j]!);
      j++;
    }
    blocks.push({ info: open[2]!.trim(), text: body.join('\n'), line: i + 1 });
    i = j;
  }
  return blocks;
}

interface Step {
  command: string;
  line: number;
  /** What the document shows it prints (undefined: it prints nothing). */
  output?: string;
}

/** The document's ```sh blocks, each with the output block that follows it. */
function stepsOf(file: string, markdown: string): Step[] {
  const steps: Step[] = [];
  let open: Step | undefined;
  for (const block of fencedBlocks(markdown)) {
    if (block.info === 'sh') {
      open = { command: block.text, line: block.line };
      steps.push(open);
    } else if (/^(json|text) output$/.test(block.info)) {
      if (!open) throw new Error(`${file}:${block.line}: an output block with no \`\`\`sh block before it`);
      open.output = block.text;
      open = undefined;
    }
  }
  return steps;
}

const PLACEHOLDERS: Record<string, string> = {
  '<id>': '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
  '<time>': '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z',
  '<etag>': '[A-Za-z0-9_+/=.:-]+',
  '<token>': '[A-Za-z0-9_.-]+',
  '<secret>': '[A-Za-z0-9_-]+',
  '<number>': '\\d+',
};

/** A documented output as a pattern for the whole printed text. */
function patternOf(output: string): RegExp {
  const lines = output.replace(/\n+$/, '').split('\n').map((l) => l.trimEnd());
  const parts = lines.map((line) => {
    if (line.trim() === '...') return '(?:[^\\n]*\\n)*?';
    const pieces = line.split(/(<id>|<time>|<etag>|<token>|<secret>|<number>|\.\.\.)/);
    return `${pieces.map((p) => p === '...' ? '[^\\n]*?' : PLACEHOLDERS[p] ?? p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('')}[ \\t]*\\n`;
  });
  return new RegExp(`^${parts.join('')}$`);
}

/** Whether a printed text is what the document shows. */
function answersAsShown(printed: string, shown: string): boolean {
  const text = printed.split('\n').map((l) => l.trimEnd()).join('\n').replace(/\n*$/, '\n');
  return patternOf(shown).test(text);
}

/** The anchors GitHub gives a document's headings. */
function headingSlugs(markdown: string): string[] {
  const prose = markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, '');
  return [...prose.matchAll(/^#{1,6} (.+)$/gm)].map((m) => m[1]!.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-'));
}

function documents(): string[] {
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : entry.name.endsWith('.md') ? [path] : [];
  });
  return [join(ROOT, 'README.md'), ...walk(join(ROOT, 'docs')).sort()];
}

// The server runs in this process: the script must run asynchronously.
function bash(script: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { timeout: 180_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const README = join(ROOT, 'README.md');
const tour = stepsOf('README.md', readFileSync(README, 'utf8'));

for (const file of documents()) {
  const name = relative(ROOT, file);
  const markdown = readFileSync(file, 'utf8');
  const steps = stepsOf(name, markdown);

  describe(name, () => {
    it('names only commands that work with what the prerequisites install', () => {
      const scripts = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts);
      expect(markdown.match(/(?<![\w/-])node [\w./-]+\.ts\b/g) ?? [], 'use an npm script: the system Node may be older than the project\'s').toEqual([]);
      const named = [...markdown.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!);
      expect(named.filter((n) => !scripts.includes(n))).toEqual([]);
    });

    it('links only to documents and headings that exist', () => {
      const prose = markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, '');
      const broken = [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!)
        .filter((target) => !/^[a-z]+:/.test(target))
        .filter((target) => {
          const [path, anchor] = target.split('#') as [string, string | undefined];
          const to = path ? join(dirname(file), path) : file;
          if (!existsSync(to)) return true;
          return anchor !== undefined && to.endsWith('.md') && !headingSlugs(readFileSync(to, 'utf8')).includes(anchor);
        });
      expect(broken).toEqual([]);
    });

    describe.skipIf(steps.length === 0)('its ```sh blocks', () => {
      let server: TestServer;
      beforeAll(async () => {
        server = await startServer('sqlite', { env: START_ENV, noAdminToken: true });
      });
      afterAll(() => server?.close());

      it('run as written, and each prints what the document shows', async () => {
        const setup = file === README ? [] : tour;
        const all = [...setup, ...steps];
        const script = all
          .map((step, i) => `echo "@@step ${i}@@"\n${step.command.replaceAll('http://localhost:8080', server.url)}`)
          .join('\n');
        const run = await bash(script);
        expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
        const printed = run.stdout.split(/@@step \d+@@\n/).slice(1);
        expect(printed).toHaveLength(all.length);
        const wrong: string[] = [];
        steps.forEach((step, i) => {
          const out = printed[setup.length + i]!;
          const where = `${name}:${step.line}`;
          if (step.output === undefined) {
            if (out.trim() !== '') wrong.push(`${where} prints this, which the document does not show (add a \`\`\`text output or \`\`\`json output block):\n${out}`);
          } else if (!answersAsShown(out, step.output)) {
            wrong.push(`${where} printed:\n${out}\nwhere the document shows:\n${step.output}`);
          }
        });
        expect(wrong.length, wrong.join('\n\n')).toBe(0);
      }, 240_000);

      if (file === README) {
        it('left the state the tour describes', async () => {
          const token = await server.call('AuthService', 'CreateToken', { clientId: START_ENV.ADMIN_CLIENT_ID, clientSecret: START_ENV.ADMIN_CLIENT_SECRET });
          const listed = await server.call('ClientService', 'ListClients', { query: 'BM-001' }, token.body.accessToken);
          expect(listed.body.clients).toMatchObject([{ name: 'Boulangerie Martin', status: 'CLIENT_STATUS_ACTIVE', siteCount: 1 }]);
        });
      }
    });
  });
}

describe('the compare rule', () => {
  // The rule is what keeps these tests honest: it must refuse what differs.
  it('matches placeholders and elisions, and nothing else', () => {
    const uuid = '01890000-0000-7000-8000-00000000000a';
    expect(answersAsShown(`{"clientId": "${uuid}"}\n`, '{"clientId": "<id>"}')).toBe(true);
    expect(answersAsShown('{"clientId": "BM-001"}\n', '{"clientId": "<id>"}')).toBe(false);
    expect(answersAsShown('"2026-11-24T10:00:00.120Z"\n', '"<time>"')).toBe(true);
    expect(answersAsShown('"2026-11-24"\n', '"<time>"')).toBe(false);
    expect(answersAsShown('a\nb\nc\nd\n', 'a\n...\nd')).toBe(true);
    expect(answersAsShown('a\nd\n', 'a\n...\nd')).toBe(true);
    expect(answersAsShown('a\nb\nc\n', 'a\n...\nd')).toBe(false);
    expect(answersAsShown('message: extra charges, 4.90 EUR; accept them\n', 'message: extra charges, ... EUR; ...')).toBe(true);
    expect(answersAsShown('{"code": "not_found"}\n', '{"code": "invalid_argument"}')).toBe(false);
    expect(answersAsShown('x\ny\n', 'x')).toBe(false);
    expect(answersAsShown('1.5\n', '1x5')).toBe(false);
  });

  it('reads output blocks after their command, and refuses one with no command', () => {
    const md = ['```sh', 'echo 1', '```', 'It prints:', '```text output', '1', '```', '```sh', 'true', '```', '````markdown', '```sh', 'quoted', '```', '````'].join('\n');
    expect(stepsOf('x.md', md)).toEqual([{ command: 'echo 1', line: 1, output: '1' }, { command: 'true', line: 8 }]);
    expect(() => stepsOf('x.md', '```json output\n{}\n```')).toThrow(/no ```sh block/);
  });
});
