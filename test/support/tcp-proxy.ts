// A TCP proxy between an app process and its PostgreSQL server, for fault tests that must not
// touch the shared server (other test files use it): `cut()` drops every connection in both
// directions and stops listening, so the app sees what a server restart or a network failure
// looks like (open connections reset, new ones refused; the server rolls back what was in
// flight); `restore()` listens again on the same port.
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Connections made through the proxy so far. */
  connections(): number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  let made = 0;
  const onConnection = (client: net.Socket) => {
    made++;
    const upstream = net.connect(target);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const end = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  };
  let server = net.createServer(onConnection);
  const listen = (p: number) => new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(p, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
  const bound = await listen(port);
  const stop = () => new Promise<void>((resolve) => {
    for (const [a, b] of pairs) {
      a.destroy();
      b.destroy();
    }
    pairs.clear();
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
  return {
    port: bound,
    connections: () => made,
    cut: stop,
    async restore() {
      server = net.createServer(onConnection);
      await listen(bound);
    },
    close: stop,
  };
}
