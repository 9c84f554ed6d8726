/**
 * The game server's bounds on hostile clients, and the client's on a hostile server: the frame
 * bound, `maxConnections`, `maxInFlight`, `idleTimeout`, the shortened `E` frame. Each test
 * pairs the offender with a well-behaved connection that must not notice. Real sockets and
 * timers; where time is the point, the bounds are wide.
 */

import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ALIVE, EMPTY, LifeConnectionError, RemoteLogicError, connectLifeServer, gameLogic, startLifeServer, type LifeClient, type LifeServer, type LifeServerOptions } from '../../../src/life/index.js';
import { settle } from '../../helpers.js';

const open: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const resource of open.splice(0).reverse()) await resource.close();
});

async function server(opts: LifeServerOptions): Promise<{ s: LifeServer; logged: string[] }> {
  const logged: string[] = [];
  const s = await startLifeServer({ ...opts, log: (line) => logged.push(line) });
  open.push(s);
  return { s, logged };
}

function client(port: number): LifeClient {
  const c = connectLifeServer({ port, connections: 1 });
  open.push(c);
  return c;
}

/** A raw connection to `port`, destroyed after the test. */
async function raw(port: number): Promise<Socket> {
  const socket = connect({ port, host: '127.0.0.1' });
  open.push({ close: () => void socket.destroy() });
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  return socket;
}

/** Everything `socket` receives until it closes. */
async function received(socket: Socket): Promise<string> {
  let text = '';
  socket.setEncoding('latin1').on('data', (chunk: string) => (text += chunk));
  // 'close' rather than `once`, which would reject on the ECONNRESET a reset connection reports first.
  if (!socket.closed) await new Promise((resolve) => socket.once('close', resolve));
  return text;
}

describe('the game server under hostile clients', () => {
  it('closes a connection whose frame passes 64 bytes, without waiting for a newline, and only that one', async () => {
    const { s, logged } = await server({ latency: 0 });
    const good = client(s.port);
    await good.decide(0, 0, ALIVE, 2);
    const bad = await raw(s.port);
    const closed = received(bad);
    bad.write(`Q 1 0 0 * 2\nQ 2 0 0 * ${'9'.repeat(60)}`);
    expect(await closed).toBe('');
    expect(logged).toEqual([expect.stringMatching(/^life-server: closed 127\.0\.0\.1:\d+: frame longer than 64 bytes$/)]);
    expect(await good.decide(0, 1, EMPTY, 3)).toBe(ALIVE);
  });

  it('takes a frame of exactly 64 bytes with its newline', async () => {
    const { s, logged } = await server({ latency: 0 });
    const socket = await raw(s.port);
    const frame = `Q 123456789012345 123456789012345 123456789012345 - 12345678901\n`;
    expect(frame.length).toBe(64);
    socket.write(frame);
    const [answer] = (await once(socket.setEncoding('latin1'), 'data')) as [string];
    expect(answer).toBe('A 123456789012345 -\n');
    expect(logged).toEqual([]);
  });

  it('closes a connection that sends 20 MiB without a newline after the first chunk, and stays quick for others', async () => {
    const { s } = await server({ latency: 0 });
    const good = client(s.port);
    const bad = await raw(s.port);
    const closed = received(bad);
    const mebibyte = Buffer.alloc(2 ** 20, 0x51);
    for (let i = 0; i < 20 && !bad.destroyed; i++) bad.write(mebibyte);
    await closed;
    expect(await good.decide(0, 0, ALIVE, 3)).toBe(ALIVE);
  });

  it('closes a connection that sends a malformed frame or a duplicate id, logging one line each', async () => {
    const { s, logged } = await server({ latency: 1000 });
    const malformed = await raw(s.port);
    const duplicate = await raw(s.port);
    const closedMalformed = received(malformed);
    const closedDuplicate = received(duplicate);
    malformed.write('Q 1 0 0 * 2\nhello\n');
    duplicate.write('Q 7 0 0 * 2\nQ 7 0 1 * 2\n');
    expect([await closedMalformed, await closedDuplicate]).toEqual(['', '']);
    expect(logged.sort()).toEqual([
      expect.stringMatching(/^life-server: closed 127\.0\.0\.1:\d+: invalid frame "hello"$/),
      expect.stringMatching(/^life-server: closed 127\.0\.0\.1:\d+: request id 7 is already in flight$/),
    ]);
    await vi.waitFor(() => expect(s.pending).toBe(0));
  });

  it('refuses connections past maxConnections at once, and accepts again once one closes', async () => {
    const { s, logged } = await server({ latency: 0, maxConnections: 2 });
    const first = await raw(s.port);
    const second = await raw(s.port);
    await vi.waitFor(() => expect(s.connections).toBe(2));
    const third = await raw(s.port);
    expect(await received(third)).toBe('');
    expect(logged).toEqual([expect.stringMatching(/^life-server: refused 127\.0\.0\.1:\d+: 2 connections open, the maxConnections bound$/)]);
    second.write('Q 1 0 0 * 3\n');
    expect(String((await once(second, 'data'))[0])).toBe('A 1 *\n');
    first.destroy();
    await vi.waitFor(() => expect(s.connections).toBe(1));
    const fourth = client(s.port);
    expect(await fourth.decide(0, 0, EMPTY, 3)).toBe(ALIVE);
  });

  it('never holds more than maxInFlight requests of a connection, and answers every one exactly once', async () => {
    const { s } = await server({ latency: 10, maxInFlight: 50 });
    const socket = await raw(s.port);
    const requests = Array.from({ length: 3000 }, (_, id) => `Q ${id} 0 ${id} ${id % 2 === 0 ? '*' : '-'} ${id % 9}\n`).join('');
    let text = '';
    let peak = 0;
    const sample = setInterval(() => (peak = Math.max(peak, s.pending)), 1);
    socket.setEncoding('latin1').on('data', (chunk: string) => (text += chunk));
    socket.write(requests);
    await vi.waitFor(() => expect(text.split('\n')).toHaveLength(3001), { timeout: 15_000 });
    clearInterval(sample);
    expect(peak).toBeLessThanOrEqual(50);
    const answers = text.slice(0, -1).split('\n').sort();
    const expected = Array.from({ length: 3000 }, (_, id) => `A ${id} ${gameLogic(id % 2 === 0 ? ALIVE : EMPTY, id % 9)}`).sort();
    expect(answers).toEqual(expected);
  });

  it('stops reading a client that pipelines without reading, and keeps serving others', async () => {
    const { s } = await server({ latency: 0, maxInFlight: 100 });
    const hog = await raw(s.port);
    hog.pause();
    const flood = Buffer.from('Q 123456 0 0 * 3\n'.repeat(20_000));
    let peak = 0;
    const sample = setInterval(() => (peak = Math.max(peak, s.pending)), 1);
    for (let i = 0; i < 40; i++) hog.write(flood);
    const good = client(s.port);
    for (let i = 0; i < 20; i++) expect(await good.decide(0, i, ALIVE, 2)).toBe(ALIVE);
    clearInterval(sample);
    expect(peak).toBeLessThanOrEqual(100);
  });

  it('closes a connection idle for idleTimeout, but not while its answer is in flight', async () => {
    const { s, logged } = await server({ latency: 300, idleTimeout: 100 });
    const silent = await raw(s.port);
    const busy = await raw(s.port);
    const silentText = received(silent);
    const busyText = received(busy);
    const start = performance.now();
    busy.write('Q 1 0 0 - 3\n');
    expect(await silentText).toBe('');
    expect(await busyText).toBe('A 1 *\n');
    // The busy one waited out the latency (300 ms) and then its idle time (100 ms).
    expect(performance.now() - start).toBeGreaterThanOrEqual(350);
    expect(logged).toEqual([
      expect.stringMatching(/^life-server: closed 127\.0\.0\.1:\d+: idle for 100 ms$/),
      expect.stringMatching(/^life-server: closed 127\.0\.0\.1:\d+: idle for 100 ms$/),
    ]);
  });

  it('shortens a long error message to fit the frame bound', async () => {
    const { s } = await server({
      latency: 0,
      logic: () => {
        throw new Error('x'.repeat(500));
      },
    });
    const c = client(s.port);
    const error = (await settle(c.decide(0, 0, ALIVE, 2))) as { ok: false; error: RemoteLogicError };
    expect(error.error).toBeInstanceOf(RemoteLogicError);
    expect(error.error.message).toBe(`Error: ${'x'.repeat(64 - 'E 1 Error: ...\n'.length)}...`);
  });

  it('ignores a log function that throws', async () => {
    const s = await startLifeServer({
      latency: 0,
      log: () => {
        throw new Error('log failed');
      },
    });
    open.push(s);
    const bad = await raw(s.port);
    bad.write('nonsense\n');
    await received(bad);
    expect(await client(s.port).decide(0, 0, ALIVE, 2)).toBe(ALIVE);
  });

  it('rejects bad bounds with the message template', () => {
    expect(() => startLifeServer({ maxConnections: 0 })).toThrow(new RangeError('Expected `maxConnections` to be an integer >= 1 or Infinity, got `0` (number)'));
    expect(() => startLifeServer({ maxInFlight: 1.5 })).toThrow(new RangeError('Expected `maxInFlight` to be an integer >= 1 or Infinity, got `1.5` (number)'));
    expect(() => startLifeServer({ idleTimeout: '5' as never })).toThrow(new TypeError('Expected `idleTimeout` to be an integer >= 1 or Infinity, got `"5"` (string)'));
    expect(() => startLifeServer({ idleTimeout: 2 ** 31 })).toThrow(
      new RangeError('Expected `idleTimeout` to be an integer between 1 and 2147483647, or Infinity, got `2147483648` (number)'),
    );
    expect(() => startLifeServer({ latency: 2 ** 40 })).toThrow(new RangeError('Expected `latency` to be an integer between 0 and 2147483647, got `1099511627776` (number)'));
    expect(() => startLifeServer({ log: 'stderr' as never })).toThrow(new TypeError('Expected `log` to be a function, got `"stderr"` (string)'));
  });
});

describe('LifeClient under a hostile server', () => {
  /** A server that answers every connection by writing `reply`. */
  async function hostile(reply: string): Promise<number> {
    const sockets = new Set<Socket>();
    const evil = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.once('data', () => socket.write(reply));
    });
    evil.listen(0, '127.0.0.1');
    await once(evil, 'listening');
    open.push({
      close: () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          evil.close(() => resolve());
        }),
    });
    return (evil.address() as AddressInfo).port;
  }

  it('rejects the pending requests with LifeConnectionError when a frame passes 64 bytes', async () => {
    const port = await hostile(`A 1 ${'*'.repeat(200)}`);
    const c = client(port);
    const results = await Promise.all([settle(c.decide(0, 0, ALIVE, 2)), settle(c.decide(0, 1, ALIVE, 2))]);
    expect(results).toEqual([
      { ok: false, error: new LifeConnectionError(`Game server 127.0.0.1:${port} sent a frame longer than 64 bytes`) },
      { ok: false, error: new LifeConnectionError(`Game server 127.0.0.1:${port} sent a frame longer than 64 bytes`) },
    ]);
    expect(c.connections).toBe(0);
  });

  it('rejects the pending requests with LifeConnectionError on a malformed frame', async () => {
    const port = await hostile('A 1 *\nZ\n');
    const c = client(port);
    const [first, second] = await Promise.all([settle(c.decide(0, 0, ALIVE, 2)), settle(c.decide(0, 1, ALIVE, 2))]);
    expect(first).toEqual({ ok: true, value: ALIVE });
    expect(second).toEqual({ ok: false, error: new LifeConnectionError('Game server sent an invalid line: "Z"') });
  });

  it('refuses coordinates whose frame could not fit the bound', async () => {
    const c = client(1);
    expect(() => c.decide(2 ** 31, 0, ALIVE, 2)).toThrow(new RangeError('Expected `y` to be an integer between -2147483648 and 2147483647, got `2147483648` (number)'));
    expect(() => c.decide(0, '1' as never, ALIVE, 2)).toThrow(new TypeError('Expected `x` to be an integer between -2147483648 and 2147483647, got `"1"` (string)'));
    expect(() => c.decide(0, 0, ALIVE, 2 ** 31)).toThrow(new RangeError('Expected `neighbors` to be an integer between 0 and 2147483647, got `2147483648` (number)'));
  });
});
