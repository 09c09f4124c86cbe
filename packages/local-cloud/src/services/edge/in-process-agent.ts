/**
 * An HTTP agent whose connections go to a Node HTTP server of this same process through an
 * in-memory stream pair, not a socket: Node's documented way to hand a server a connection is
 * `server.emit('connection', duplex)`. A client such as the AWS SDK can then talk to an embedded
 * emulator that listens on no port at all.
 */
import { Agent } from 'node:http';
import type { Server } from 'node:http';
import { duplexPair } from 'node:stream';

export class InProcessAgent extends Agent {
  constructor(private readonly server: Server) {
    // Keep-alive would reuse the stream through socket-only calls (setKeepAlive, ref).
    super({ keepAlive: false });
  }

  override createConnection(): ReturnType<Agent['createConnection']> {
    const [client, server] = duplexPair();
    this.server.emit('connection', server);
    return client;
  }
}
