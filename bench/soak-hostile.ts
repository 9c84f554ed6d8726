/**
 * The hostile clients of the soak benchmark (`soak.ts`), in their own process so that their
 * work does not come out of the well-behaved clients' event loop: only the server's handling
 * of them is measured. `node soak-hostile.js <port>` opens
 *
 * - 900 idle connections that never send a byte,
 * - one connection that pipelines requests (unique ids) without ever reading an answer,
 * - one client streaming a line with no newline, reconnecting 100 ms after each time the server
 *   closes it (one persistent offender, not a connection flood: `maxConnections` is for that),
 *
 * prints `ready` once the idle ones and the pipeliner are connected, and runs until its
 * standard input closes (the benchmark ends it that way, or by dying), then prints how many
 * times the endless line was cut off.
 *
 * @module
 */

import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

const port = Number(process.argv[2]);
const IDLE = 900;

const sockets = new Set<Socket>();
let stopping = false;
let cutOff = 0;

function dial(): Promise<Socket> {
  const socket = connect({ port, host: '127.0.0.1' });
  sockets.add(socket);
  socket.on('error', () => undefined);
  socket.on('close', () => sockets.delete(socket));
  return once(socket, 'connect').then(() => socket);
}

/** Streams 64 KiB of `Q` with no newline, as fast as the socket drains, and starts over on a new connection when it is closed. */
async function endlessLine(): Promise<void> {
  const chunk = Buffer.alloc(64 * 1024, 0x51);
  while (!stopping) {
    const socket = await dial();
    const closed = new Promise((resolve) => socket.once('close', resolve));
    const more = (): void => {
      while (!socket.destroyed && socket.write(chunk));
      if (!socket.destroyed) socket.once('drain', more);
    };
    more();
    await closed;
    cutOff++;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Writes requests with fresh ids whenever its socket drains, and never reads. */
async function pipeliner(): Promise<void> {
  const socket = await dial();
  socket.pause();
  let id = 0;
  const more = (): void => {
    while (!socket.destroyed) {
      let batch = '';
      for (let i = 0; i < 1000; i++) batch += `Q ${id++} 0 0 * 3\n`;
      if (!socket.write(batch)) break;
    }
    if (!socket.destroyed) socket.once('drain', more);
  };
  more();
}

for (let i = 0; i < IDLE; i += 50) await Promise.all(Array.from({ length: Math.min(50, IDLE - i) }, () => dial()));
await pipeliner();
void endlessLine();
console.log('ready');
process.stdin.resume();
await once(process.stdin, 'end');
stopping = true;
console.log(`cut off ${cutOff}`);
for (const socket of sockets) socket.destroy();
