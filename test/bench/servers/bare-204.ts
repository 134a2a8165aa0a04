import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// The baseline server: node:http answering 204 to everything, the least any HTTP intake can do.
const server = createServer((_req, res) => {
  res.statusCode = 204;
  res.end();
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => console.log(`listening at http://127.0.0.1:${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)).closeAllConnections());
