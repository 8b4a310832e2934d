import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { create } from '../../../src/lib/whisper/create.js';
import { parseRetentions } from '../../../src/lib/whisper/retention.js';
import { linkUnnamedFile, openUnnamedFile, setUnnamedFiles, unnamedFilesWork } from '../../../src/lib/whisper/unnamed-file.js';
import { tempDir } from '../../_helpers/temp-dir.js';

const namedOnlyWhenLinked = test.macro((t, viaProc: boolean) => {
  const dir = tempDir(t);
  t.false(unnamedFilesWork(path.join(dir, 'missing')), 'not in a directory that is not there');
  const fd = openUnnamedFile(dir);
  if (fd === undefined) {
    // (A file system without O_TMPFILE: create.ts uses temporary names, tested below.)
    t.false(unnamedFilesWork(dir));
    t.log('no O_TMPFILE on this file system');
    return;
  }
  t.true(unnamedFilesWork(dir));
  try {
    fs.writeSync(fd, 'whole');
    t.deepEqual(fs.readdirSync(dir), [], 'nothing in the directory before the link');
    fs.writeFileSync(path.join(dir, 'taken'), 'theirs');
    t.is((t.throws(() => linkUnnamedFile(fd, path.join(dir, 'taken'), viaProc)) as NodeJS.ErrnoException).code, 'EEXIST');
    t.is(fs.readFileSync(path.join(dir, 'taken'), 'utf8'), 'theirs');
    t.is((t.throws(() => linkUnnamedFile(fd, path.join(dir, 'missing', 'mine'), viaProc)) as NodeJS.ErrnoException).code, 'ENOENT');
    linkUnnamedFile(fd, path.join(dir, 'mine'), viaProc);
  } finally {
    fs.closeSync(fd);
  }
  t.is(fs.readFileSync(path.join(dir, 'mine'), 'utf8'), 'whole');
  t.deepEqual(fs.readdirSync(dir).sort(), ['mine', 'taken']);
  t.is((t.throws(() => openUnnamedFile(path.join(dir, 'missing'))) as NodeJS.ErrnoException).code, 'ENOENT');
});

test('an unnamed file gets its name only when linked, never over an existing file', namedOnlyWhenLinked, false);
test('the same, linked through /proc/self/fd (where the kernel does not link a descriptor itself)', namedOnlyWhenLinked, true);

test('create() makes the same file with temporary names as without a name, and leaves no temporary file', (t) => {
  const dir = tempDir(t);
  create(path.join(dir, 'unnamed.wsp'), parseRetentions('60:100,300:100'), { fallocate: true });
  setUnnamedFiles(false);
  try {
    create(path.join(dir, 'named.wsp'), parseRetentions('60:100,300:100'), { fallocate: true });
    fs.writeFileSync(path.join(dir, 'taken.wsp'), 'theirs');
    t.is((t.throws(() => create(path.join(dir, 'taken.wsp'), parseRetentions('60:10'))) as NodeJS.ErrnoException).code, 'WHISPER_EXISTS');
  } finally {
    setUnnamedFiles(true);
  }
  t.deepEqual(fs.readFileSync(path.join(dir, 'named.wsp')), fs.readFileSync(path.join(dir, 'unnamed.wsp')));
  t.deepEqual(fs.readdirSync(dir).sort(), ['named.wsp', 'taken.wsp', 'unnamed.wsp']);
});
