/**
 * MEMCACHE_HOSTS: two gph web nodes sharing a real memcached (Debian's) serve a repeated render
 * without computing it again, and a dead memcached is only a cache miss.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { FixedClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { WebServer } from '../../src/lib/web/web-server.js';
import { defaultWebSettings } from '../../src/lib/web/web-settings.js';
import { NOW, makeTree } from '../lib/render/_render-fixture.js';
import { freePort } from './_helpers/peers.js';

const MEMCACHED = '/usr/bin/memcached';

test.before(() => {
  if (!fs.existsSync(MEMCACHED)) throw new Error(`${MEMCACHED} is missing: apt-get install -y memcached`);
});

async function startMemcached(t: Parameters<typeof makeTree>[0]): Promise<number> {
  const port = await freePort();
  const child = spawn(MEMCACHED, ['-p', String(port), '-l', '127.0.0.1', '-U', '0', '-m', '16', '-u', 'root'], { stdio: 'ignore' });
  t.teardown(() => child.kill('SIGKILL'));
  const net = await import('node:net');
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) return port;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('memcached did not start');
}

async function node(t: Parameters<typeof makeTree>[0], dir: string, memcache: string[]): Promise<{ web: WebServer; get: (q: string) => Promise<string> }> {
  const web = new WebServer({ settings: { ...defaultWebSettings(dir), WHISPER_DIR: dir, MEMCACHE_HOSTS: memcache }, clock: new FixedClock(NOW), logger: silentLogger });
  const port = await web.listen(0);
  t.teardown(() => web.close());
  return { web, get: async (q) => (await globalThis.fetch(`http://127.0.0.1:${port}${q}`)).text() };
}

test('a render computed on one node is served to another from memcached', async (t) => {
  const dir = makeTree(t, { 'shop.a.sales': [1, 2, 3] });
  const port = await startMemcached(t);
  const a = await node(t, dir, [`127.0.0.1:${port}`]);
  const b = await node(t, dir, [`127.0.0.1:${port}`]);
  const query = `/render?target=sumSeries(shop.*.sales)&from=-3min&now=${NOW}&format=json`;
  const first = await a.get(query);
  t.is(a.web.cache.misses, 1);
  const second = await b.get(query);
  t.is(second, first);
  t.is(b.web.cache.misses, 0, 'node b did not compute it');
  t.is(b.web.cache.sharedHits, 1);
  await b.get(`${query}&noCache=1`);
  t.is(b.web.cache.misses, 1, 'noCache computes');
});

test('a memcached that is down is a cache miss, not an error', async (t) => {
  const dir = makeTree(t, { 'shop.a.sales': [1, 2, 3] });
  const dead = await freePort();
  const a = await node(t, dir, [`127.0.0.1:${dead}`]);
  const body = await a.get(`/render?target=shop.a.sales&from=-3min&now=${NOW}&format=json`);
  t.regex(body, /"target": "shop\.a\.sales"/);
  t.is(a.web.cache.misses, 1);
});
