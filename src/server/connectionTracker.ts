// Tracks the server's sockets and their in-flight requests so close() can end idle ones at
// once. node's closeIdleConnections() misses sockets that never carried a request (fetch and
// browsers open spare connections), which would hold close() until the headers timeout.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionTracker {
  /** Destroys idle sockets now and every socket as soon as its last request finishes. */
  drain(): void;
  /** Destroys every socket (past the grace period). */
  destroyAll(): void;
}

export function trackConnections(server: Server): ConnectionTracker {
  const active = new Map<Socket, number>();
  let draining = false;
  server.on('connection', (socket: Socket) => {
    active.set(socket, 0);
    socket.once('close', () => active.delete(socket));
  });
  server.on('request', (req, res) => {
    const socket = req.socket;
    active.set(socket, (active.get(socket) ?? 0) + 1);
    res.once('close', () => {
      const n = (active.get(socket) ?? 1) - 1;
      if (active.has(socket)) active.set(socket, n);
      if (draining && n === 0) socket.destroy();
    });
  });
  return {
    drain() {
      draining = true;
      for (const [socket, n] of active) if (n === 0) socket.destroy();
    },
    destroyAll() {
      for (const socket of active.keys()) socket.destroy();
    },
  };
}
