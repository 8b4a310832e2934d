import test from 'ava';
import { TagQueue } from '../../../../src/lib/carbon/cache/tag-queue.js';

test('created series come first, then one write in every TAG_UPDATE_INTERVAL', (t) => {
  const queue = new TagQueue(100, 3);
  for (let i = 1; i <= 7; i++) queue.update(`w${i}`);
  queue.add('new.a');
  queue.add('new.b');
  // carbon's counter: the 1st, 4th and 7th writes are queued.
  t.deepEqual(queue.takeBatch(4), ['new.a', 'new.b', 'w1', 'w4']);
  t.deepEqual(queue.takeBatch(4), ['w7']);
  t.deepEqual(queue.takeBatch(4), []);
  t.is(queue.size, 0);
});

test('a full queue refuses and counts; a failed batch goes back ahead of the rest, as room allows', (t) => {
  const queue = new TagQueue(2, 1);
  queue.add('a');
  queue.add('b');
  queue.add('c');
  t.is(queue.dropped, 1);
  const batch = queue.takeBatch(1);
  queue.add('d');
  queue.requeue(batch);
  t.deepEqual(queue.takeBatch(10), ['b', 'd']);
  t.is(queue.dropped, 2);
  queue.add('e');
  queue.requeue(['x', 'y']);
  t.deepEqual(queue.takeBatch(10), ['x', 'e']);
});

test('TAG_QUEUE_SIZE 0 is unbounded, like a Python Queue(0)', (t) => {
  const queue = new TagQueue(0, 1);
  for (let i = 0; i < 20_000; i++) queue.add(`m${i}`);
  queue.requeue(['again']);
  t.is(queue.size, 20_001);
  t.is(queue.dropped, 0);
  t.is(queue.takeBatch(1)[0], 'again');
});
