/**
 * A real browser (Debian's chromium driven by playwright-core) loads a dashboard page of
 * <img src="/render?..."> tags pointing at gph web, and every image loads with the size asked for.
 */
import test from 'ava';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { FixedClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { WebServer } from '../../src/lib/web/web-server.js';
import { defaultWebSettings } from '../../src/lib/web/web-settings.js';
import { NOW, makeTree } from '../lib/render/_render-fixture.js';

const CHROMIUM = '/usr/bin/chromium';

test.before(() => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
});

test('a dashboard of <img src="/render?..."> tags loads every chart in chromium', async (t) => {
  const dir = makeTree(t, { 'shop.a.sales': [1, 5, 3, 8], 'shop.b.sales': [4, 2, 6, 1] });
  const web = new WebServer({ settings: { ...defaultWebSettings(dir), WHISPER_DIR: dir }, clock: new FixedClock(NOW), logger: silentLogger });
  const webPort = await web.listen(0);
  t.teardown(() => web.close());
  const render = (query: string): string => `http://127.0.0.1:${webPort}/render?now=${NOW}&from=-4min&${query}`;
  const images = [
    { src: render('target=shop.*.sales&width=400&height=200'), width: 400, height: 200 },
    { src: render('target=sumSeries(shop.*.sales)&width=300&height=150&areaMode=all&title=Total'), width: 300, height: 150 },
    { src: render('target=shop.*.sales&graphType=pie&width=250&height=250'), width: 250, height: 250 },
    { src: render('target=shop.a.sales&format=svg&width=320&height=160'), width: 320, height: 160 },
  ];
  const html = `<!doctype html><html><body>${images.map((i) => `<img src="${i.src.replace(/&/g, '&amp;')}">`).join('\n')}</body></html>`;
  const page = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(html));
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  t.teardown(() => page.close());
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless=new'] });
  t.teardown(() => browser.close());
  const tab = await browser.newPage();
  await tab.goto(`http://127.0.0.1:${(page.address() as AddressInfo).port}/`, { waitUntil: 'load', timeout: 30_000 });
  const loaded = await tab.evaluate(() => [...document.images].map((img) => ({ complete: img.complete, width: img.naturalWidth, height: img.naturalHeight })));
  t.deepEqual(
    loaded,
    images.map((i) => ({ complete: true, width: i.width, height: i.height })),
  );
});
