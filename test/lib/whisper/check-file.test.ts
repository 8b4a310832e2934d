import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { checkFile, listWhisperFiles } from '../../../src/lib/whisper/check-file.js';
import { create } from '../../../src/lib/whisper/create.js';
import { parseRetentions } from '../../../src/lib/whisper/retention.js';
import { tempDir } from '../../_helpers/temp-dir.js';

test('checkFile() passes a good file and names the problem of damaged ones', (t) => {
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, 'sub'));
  const good = path.join(dir, 'sub', 'good.wsp');
  create(good, parseRetentions('60:10,300:10'));
  t.true(checkFile(good).ok);
  const truncated = path.join(dir, 'truncated.wsp');
  create(truncated, parseRetentions('60:10'));
  fs.truncateSync(truncated, 100);
  t.regex(checkFile(truncated).problems.join(), /truncated: 100 bytes, the archives need 148/);
  const garbage = path.join(dir, 'garbage.wsp');
  fs.writeFileSync(garbage, 'not whisper at all');
  t.false(checkFile(garbage).ok);
  t.deepEqual(listWhisperFiles(dir).map((f) => path.relative(dir, f)), ['garbage.wsp', 'sub/good.wsp', 'truncated.wsp']);
});
