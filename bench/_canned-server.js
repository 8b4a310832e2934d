#!/usr/bin/env node
// The floor of bench:web: a node:http server with gph web's worker count that does no work at all,
// answering each known URL with bytes recorded from gph beforehand (a JSON manifest of
// { url: { file, type } }). Whatever latency and throughput it reaches is the best any Node server
// can reach for the same answers on this machine, through the same client.
//   node bench/_canned-server.js MANIFEST PORT
import cluster from 'node:cluster';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';

const [manifestFile, port] = process.argv.slice(2);
if (cluster.isPrimary) {
  for (let i = 0; i < os.cpus().length; i++) cluster.fork();
} else {
  const answers = new Map(
    Object.entries(JSON.parse(fs.readFileSync(manifestFile, 'utf8'))).map(([url, { file, type }]) => [url, { body: fs.readFileSync(file), type }]),
  );
  http
    .createServer((request, response) => {
      const answer = answers.get(request.url);
      if (!answer) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': answer.type, 'content-length': answer.body.length });
      response.end(answer.body);
    })
    .listen(Number(port), '127.0.0.1');
}
