import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { lockExclusive, tryLockExclusive } from '../../../src/lib/whisper/file-lock.js';
import { tempDir } from '../../_helpers/temp-dir.js';

test('lockExclusive() takes an flock(2) that another open file cannot take until it is released', (t) => {
  const file = path.join(tempDir(t), 'a.wsp');
  fs.writeFileSync(file, '');
  const first = fs.openSync(file, 'r+');
  const second = fs.openSync(file, 'r+');
  lockExclusive(first);
  t.false(tryLockExclusive(second));
  fs.closeSync(first);
  t.true(tryLockExclusive(second));
  fs.closeSync(second);
});
