import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// The redirect baseline: node:http answering every request with the 302 a prefix redirect sends.
const server = createServer((req, res) => {
  res.writeHead(302, { location: `https://${(req.url ?? '/').replace(/^\/beacon\/e\//, '')}`, 'cache-control': 'private, no-cache' });
  res.end();
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => console.log(`listening at http://127.0.0.1:${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)).closeAllConnections());
