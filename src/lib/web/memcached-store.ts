/**
 * graphite-web's MEMCACHE_HOSTS: rendered responses shared by several gph nodes through memcached
 * (npm memjs, binary protocol). Keys are hashed (memcached keys are short and space-free); a value
 * is the response's status and content type on one JSON line, then the body bytes. A memcached
 * that fails or is down is a cache miss, logged once a minute at most, never an error.
 */
import { createHash } from 'node:crypto';
import memjs from 'memjs';
import type { Clock } from '../clock.js';
import { type Logger, rateLimited } from '../logger.js';
import type { SharedStore } from './response-cache.js';
import type { WebResponse } from './web-response.js';

export class MemcachedStore implements SharedStore<WebResponse> {
  private readonly client: memjs.Client;
  private readonly warn: (message: string) => void;

  constructor(hosts: readonly string[], clock: Clock, logger: Logger, timeoutSeconds = 0.5) {
    this.client = memjs.Client.create(hosts.join(','), { timeout: timeoutSeconds, retries: 0, failover: true, logger: { log: () => {} } });
    this.warn = rateLimited((m) => logger.warn(m), clock);
  }

  private static key(key: string): string {
    return `gph:render:${createHash('sha1').update(key).digest('hex')}`;
  }

  async get(key: string): Promise<WebResponse | undefined> {
    try {
      const { value } = await this.client.get(MemcachedStore.key(key));
      if (!value) return undefined;
      const newline = value.indexOf(10);
      const head = JSON.parse(value.subarray(0, newline).toString('utf8')) as { status: number; contentType: string };
      return { status: head.status, contentType: head.contentType, body: Buffer.from(value.subarray(newline + 1)) };
    } catch (error) {
      this.warn(`memcached get failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  async set(key: string, response: WebResponse, ttlSeconds: number): Promise<void> {
    const head = Buffer.from(`${JSON.stringify({ status: response.status, contentType: response.contentType })}\n`);
    const body = typeof response.body === 'string' ? Buffer.from(response.body) : response.body;
    try {
      await this.client.set(MemcachedStore.key(key), Buffer.concat([head, body]), { expires: Math.max(1, Math.round(ttlSeconds)) });
    } catch (error) {
      this.warn(`memcached set failed: ${(error as Error).message}`);
    }
  }

  close(): void {
    this.client.close();
  }
}
