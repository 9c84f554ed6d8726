/**
 * `loom life-server` (the built command, spawned) against hostile clients: the bounds given on
 * the command line hold, each closed connection is one line on standard error, and SIGINT or
 * SIGTERM end the process within a second whatever the clients are doing — a client streaming
 * an endless line, one pipelining without reading, hundreds of idle ones.
 */

import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startCli, type Running } from './spawn-cli.js';

const READY = /^loom life-server listening on 127\.0\.0\.1:(\d+) \(latency (\d+) ms\)$/m;

const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
});

/** The port from the ready line. */
async function readyPort(cli: Running): Promise<number> {
  let stdout = '';
  for await (const chunk of cli.child.stdout) {
    stdout += String(chunk);
    const match = READY.exec(stdout);
    if (match !== null) return Number(match[1]);
  }
  throw new Error(`no ready line: ${stdout}`);
}

async function dial(port: number): Promise<Socket> {
  const socket = connect({ port, host: '127.0.0.1' });
  sockets.push(socket);
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  return socket;
}

/** Writes `chunk` to `socket` again and again, as fast as it drains, until it closes. */
function stream(socket: Socket, chunk: Buffer): void {
  const more = (): void => {
    while (!socket.destroyed && socket.write(chunk));
    if (!socket.destroyed) socket.once('drain', more);
  };
  more();
}

describe('loom life-server under hostile clients (the built command)', () => {
  it('logs one line on standard error for each connection it closes or refuses, and keeps serving', async () => {
    const cli = startCli(['life-server', '--latency', '0', '--max-connections', '2', '--idle-timeout', '200']);
    const port = await readyPort(cli);
    const long = await dial(port);
    long.write(`Q 1 0 0 * ${'1'.repeat(100)}\n`);
    await once(long, 'close');
    const good = await dial(port);
    const spare = await dial(port);
    const refused = await dial(port);
    await once(refused, 'close');
    good.write('Q 1 0 0 - 3\n');
    expect(String((await once(good, 'data'))[0])).toBe('A 1 *\n');
    await Promise.all([once(good, 'close'), once(spare, 'close')]);
    cli.child.kill('SIGINT');
    const { code, stderr } = await cli.finished;
    expect(code).toBe(130);
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^life-server: closed 127\.0\.0\.1:\d+: frame longer than 64 bytes$/);
    expect(lines[1]).toMatch(/^life-server: refused 127\.0\.0\.1:\d+: 2 connections open, the maxConnections bound$/);
    expect(lines.slice(2).sort()).toEqual([
      expect.stringMatching(/^life-server: closed 127\.0\.0\.1:\d+: idle for 200 ms$/),
      expect.stringMatching(/^life-server: closed 127\.0\.0\.1:\d+: idle for 200 ms$/),
    ]);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s ends it within a second while clients stream, pipeline without reading, and idle', async (signal, status) => {
    const cli = startCli(['life-server', '--latency', '1000']);
    const port = await readyPort(cli);
    // An endless line on many connections, so a new one always replaces the closed one.
    const endless = Buffer.alloc(64 * 1024, 0x51);
    for (let i = 0; i < 4; i++) stream(await dial(port), endless);
    const hog = await dial(port);
    hog.pause();
    hog.write(Array.from({ length: 200_000 }, (_, id) => `Q ${id} 0 0 * 3\n`).join(''));
    for (let i = 0; i < 200; i++) await dial(port);
    const start = performance.now();
    cli.child.kill(signal);
    const { code } = await cli.finished;
    const took = performance.now() - start;
    expect(code).toBe(status);
    expect(took).toBeLessThan(1000);
  });
});
