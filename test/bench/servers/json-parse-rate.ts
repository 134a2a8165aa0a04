import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildNdjsonBodies } from '../batch-intake.bench.ts';

// The batch-intake baseline as a server of its own, so it runs pinned to the core the servers under
// test get, in turns with them: `POST /?seconds=S` parses the benchmark's NDJSON bodies with
// `JSON.parse` for S seconds and answers the records per second.
const bodies = buildNdjsonBodies(Number(process.env.EARSHOT_BENCH_BODIES ?? 20));

function parseFor(seconds: number): number {
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  let records = 0;
  while (process.hrtime.bigint() < deadline) {
    for (const body of bodies) for (const line of body.toString('utf8').split('\n')) records += JSON.parse(line) ? 1 : 0;
  }
  return records / (Number(process.hrtime.bigint() - started) / 1e9);
}

const server = createServer((req, res) => {
  const seconds = Number(new URL(`http://request${req.url ?? '/'}`).searchParams.get('seconds') ?? '1');
  req.resume().once('end', () => res.end(JSON.stringify({ rate: parseFor(seconds) })));
});
server.listen(0, '127.0.0.1', () => console.log(`listening at http://127.0.0.1:${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)).closeAllConnections());
