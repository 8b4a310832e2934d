/**
 * The 31 golden cases recorded from whisper.py (../shared/whisper-golden), checked by the shared
 * checker against gph's driver (test/interop/whisper-ops.ts).
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const goldenDir = path.resolve(root, '../shared/whisper-golden');
const driver = `node --import tsx ${path.join(root, 'test/interop/whisper-ops.ts')}`;
const cases = fs.existsSync(goldenDir) ? fs.readdirSync(path.join(goldenDir, 'golden')).filter((d) => /^\d\d-/.test(d)).sort() : [];

test('the shared golden directory is present', (t) => {
  t.true(cases.length >= 31, `expected ../shared/whisper-golden with 31 cases beside the project, found ${cases.length}`);
});

for (const name of cases) {
  test(`golden ${name}`, (t) => {
    const child = spawnSync(process.execPath, [path.join(goldenDir, 'check-golden.mjs'), '--candidate', driver, '--only', name], { cwd: root, encoding: 'utf8' });
    t.is(child.status, 0, child.stdout + child.stderr);
    t.regex(child.stdout, /1 passed, 0 failed/);
  });
}
