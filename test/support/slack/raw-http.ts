import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
}

/**
 * One TCP connection speaking HTTP/1.1 by hand: for what fetch won't send (odd request targets,
 * a body that stalls halfway, a length it never delivers). Resolves the response head when it
 * arrives and `closed` when the server ends the connection.
 */
export class RawConnection {
  private received = '';
  private readonly socket: Socket;
  private waiters: (() => void)[] = [];
  readonly closed: Promise<void>;
  /** How many bytes of body were written before the server answered. */
  bodyBytesWritten = 0;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.received += chunk;
      this.notify();
    });
    // The server may reset a connection it refuses; that is a close like any other.
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.notify();
        resolve();
      }),
    );
  }

  static open(url: string): Promise<RawConnection> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  write(data: string | Buffer): void {
    if (!this.socket.destroyed) this.socket.write(data);
  }

  writeBody(data: string | Buffer): void {
    this.bodyBytesWritten += Buffer.byteLength(data);
    this.write(data);
  }

  /** The response's status and headers, once the server has sent them (or undefined if it closed first). */
  async response(): Promise<RawResponse | undefined> {
    for (;;) {
      const end = this.received.indexOf('\r\n\r\n');
      if (end !== -1) {
        const [statusLine = '', ...lines] = this.received.slice(0, end).split('\r\n');
        const headers: Record<string, string> = {};
        for (const line of lines) {
          const i = line.indexOf(':');
          if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
        }
        return { status: Number(statusLine.split(' ')[1]), headers };
      }
      if (this.socket.destroyed || this.socket.readableEnded) return undefined;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  destroy(): void {
    this.socket.destroy();
  }

  private notify(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }
}

/** Sends one request by hand and returns its response head (undefined if the server closed without one). */
export async function rawRequest(
  url: string,
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body = '',
): Promise<RawResponse | undefined> {
  const { host } = new URL(url);
  const conn = await RawConnection.open(url);
  const lines = [`${method} ${target} HTTP/1.1`, `Host: ${host}`, 'Connection: close'];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  if (body !== '' && headers['content-length'] === undefined)
    lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  conn.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
  const res = await conn.response();
  conn.destroy();
  return res;
}
