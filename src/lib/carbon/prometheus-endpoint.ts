/** The optional Prometheus /metrics endpoint of the cache and relay daemons (PROMETHEUS_PORT). */
import http from 'node:http';
import type net from 'node:net';
import type { Logger } from '../logger.js';
import { bindOrFail } from './receiver/listener-set.js';

export interface PrometheusEndpoint {
  port: number;
  close(): void;
}

/** Serves `render()` as Prometheus text on http://host:port/metrics. */
export async function servePrometheus(host: string, port: number, render: () => string, logger: Logger): Promise<PrometheusEndpoint> {
  const server = http.createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end('not found: try /metrics\n');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(render());
  });
  await bindOrFail(server, (done) => server.listen(port, host, done), '/metrics', host, port);
  const bound = (server.address() as net.AddressInfo).port;
  logger.info(`serving Prometheus metrics on http://${host}:${bound}/metrics`);
  return {
    port: bound,
    close: () => {
      server.close();
      server.closeAllConnections();
    },
  };
}

/** Prometheus text lines for (name, value, type) samples. */
export function prometheusLines(samples: ReadonlyArray<[string, number, 'counter' | 'gauge']>): string {
  return `${samples.flatMap(([name, value, type]) => [`# TYPE ${name} ${type}`, `${name} ${value}`]).join('\n')}\n`;
}
