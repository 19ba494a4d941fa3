// A TCP proxy in front of Postgres that a test can cut and restore: while cut, every open connection is reset and
// new ones are refused, as when the database host goes away. Used to test outages without stopping the shared
// Postgres of the machine. `latencyMs` holds every answer from Postgres back that long (a database far away, or
// a server too busy to read its answers at once), in order.
import net from "node:net";

export type TcpProxy = { port: number; cut: () => Promise<void>; restore: () => Promise<void>; close: () => Promise<void> };

export async function startTcpProxy(target: { host: string; port: number }, port = 0, options: { latencyMs?: number } = {}): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => socket.destroy());
    }
    client.pipe(upstream);
    if (options.latencyMs) upstream.on("data", (chunk: Buffer) => setTimeout(() => client.writable && client.write(chunk), options.latencyMs));
    else upstream.pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  const listen = (p: number) => new Promise<void>((resolve, reject) => server.once("error", reject).listen(p, "127.0.0.1", () => resolve()));
  await listen(port);
  const bound = (server.address() as net.AddressInfo).port;
  const cut = async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.resetAndDestroy();
    });
  };
  return {
    port: bound,
    cut,
    restore: () => listen(bound),
    close: async () => {
      if (server.listening) await cut();
    },
  };
}
