import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';

const FORBIDDEN = /from ['"](@oclif\/[^'"]*|cli-table3|chalk|cli-progress|[./]*(?:\.\.\/)+(?:commands|cli)\/[^'"]*)['"]/;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
}

test('src/lib never imports the CLI layer (oclif, chalk, cli-table3, src/commands, src/cli)', (t) => {
  const leaks = sources('src/lib').flatMap((file) =>
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .map((line, i) => ({ file, line: i + 1, text: line }))
      .filter(({ text }) => FORBIDDEN.test(text) && !file.includes(path.join('render', 'output', 'terminal'))),
  );
  t.deepEqual(leaks, []);
});

test('src/lib reads no wall clock: time comes from an injected Clock', (t) => {
  const offenders = sources('src/lib').filter((file) => !file.endsWith('clock.ts') && /\bDate\.now\(|new Date\(\)/.test(fs.readFileSync(file, 'utf8')));
  t.deepEqual(offenders, []);
});
