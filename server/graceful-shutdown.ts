// Stopping without dropping anyone: on SIGTERM the server stops accepting connections, answers
// every request it has received (or receives on a connection already open), then closes.
//
// Node's own server.close() also closes "idle" keep-alive connections at once, and a connection
// whose request is still on its way counts as idle: that request got ECONNRESET. Here a connection
// without a request is only closed after a short grace, and every response from then on says
// `Connection: close`, so each client learns to go elsewhere after its answer.
import net from "node:net";
import type { IncomingMessage, Server, ServerResponse } from "node:http";

/** How long an open connection with no request in it may still bring one after the stop. */
const IDLE_GRACE_MS = 1_000;

export function gracefulStopper(server: Server) {
  const active = new Map<net.Socket, number>();
  let stopping = false;

  server.on("connection", (socket: net.Socket) => {
    active.set(socket, 0);
    socket.once("close", () => active.delete(socket));
  });

  // Registered before the app's listener (see start.ts), so it runs before anything is written.
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    active.set(socket, (active.get(socket) ?? 0) + 1);
    if (stopping) res.setHeader("Connection", "close");
    res.once("close", () => {
      const left = (active.get(socket) ?? 1) - 1;
      active.set(socket, left);
      if (stopping && left === 0) closeWhenIdle(socket);
    });
  };

  function closeWhenIdle(socket: net.Socket) {
    setTimeout(() => {
      if ((active.get(socket) ?? 0) === 0) socket.end();
    }, IDLE_GRACE_MS).unref();
  }

  return {
    onRequest,
    get inFlight() {
      let total = 0;
      for (const count of active.values()) total += count;
      return total;
    },
    /** Stops accepting; resolves once every connection is closed, its requests answered. */
    stop(): Promise<void> {
      stopping = true;
      const closed = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()));
      for (const [socket, count] of active) if (count === 0) closeWhenIdle(socket);
      return closed;
    },
  };
}
