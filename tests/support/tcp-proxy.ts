// A TCP proxy between the app and PostgreSQL that a test can cut, hold and restore, to see how
// the app behaves while its database is away.
import net from "node:net";

export class TcpProxy {
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  private held = false;
  private queued: (() => void)[] = [];

  constructor(
    private readonly target: { host: string; port: number },
    readonly port: number,
  ) {}

  async open(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on("close", () => this.sockets.delete(socket));
        socket.on("error", () => socket.destroy());
      }
      const forward = (from: net.Socket, to: net.Socket) =>
        from.on("data", (chunk) => (this.held ? this.queued.push(() => to.write(chunk)) : to.write(chunk)));
      forward(client, upstream);
      forward(upstream, client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(this.port, "127.0.0.1", () => resolve());
    });
  }

  /** The database "goes away": every connection drops and new ones are refused. */
  async cut(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }

  /** Traffic is held (queries hang) until release(). */
  hold(): void {
    this.held = true;
  }

  /** How many chunks wait while traffic is held: above zero once a query is stuck on us. */
  get heldChunks(): number {
    return this.queued.length;
  }

  release(): void {
    this.held = false;
    for (const send of this.queued.splice(0)) send();
  }
}
