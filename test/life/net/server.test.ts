import { connect } from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ALIVE,
  EMPTY,
  LifeConnectionError,
  RemoteLogicError,
  connectLifeServer,
  gameLogic,
  startLifeServer,
  type LifeClient,
  type LifeServer,
} from '../../../src/life/index.js';
import { InvalidStateError, TimeoutError } from '../../../src/core/errors.js';
import { abortListeners, settle } from '../../helpers.js';

const open: (LifeServer | LifeClient)[] = [];
async function server(opts: Parameters<typeof startLifeServer>[0] = {}): Promise<LifeServer> {
  const started = await startLifeServer(opts);
  open.push(started);
  return started;
}
function client(port: number, connections?: number): LifeClient {
  const c = connectLifeServer(connections === undefined ? { port } : { port, connections });
  open.push(c);
  return c;
}
afterEach(async () => {
  for (const resource of open.splice(0).reverse()) await resource.close();
});

/** Client-side and server-side TCP handles of this process (the listening server counts too). */
function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap' || kind === 'TCPServerWrap').length;
}

describe('startLifeServer + LifeClient', () => {
  it('answers each cell with the game rule on an ephemeral port', async () => {
    const s = await server({ latency: 0 });
    expect(s.host).toBe('127.0.0.1');
    expect(s.port).toBeGreaterThan(0);
    const c = client(s.port);
    const cases = [[ALIVE, 1], [ALIVE, 2], [ALIVE, 4], [EMPTY, 3], [EMPTY, 2]] as const;
    const answers = await Promise.all(cases.map(([state, n], i) => c.decide(0, i, state, n)));
    expect(answers).toEqual(cases.map(([state, n]) => gameLogic(state, n)));
    expect(s.answered).toBe(5);
    expect([c.pending, s.pending]).toEqual([0, 0]);
  });

  it('holds every answer back by the latency (a real timer, wide bounds)', async () => {
    const s = await server({ latency: 60 });
    const c = client(s.port);
    const start = performance.now();
    await c.decide(0, 0, EMPTY, 3);
    expect(performance.now() - start).toBeGreaterThanOrEqual(55);
  });

  it('serves 10,000 concurrent cell requests over a few connections in about one latency', async () => {
    const s = await server({ latency: 100 });
    const c = client(s.port, 4);
    const before = tcpHandles();
    const start = performance.now();
    const requests = Array.from({ length: 10_000 }, (_, i) => c.decide(i, 0, i % 2 === 0 ? ALIVE : EMPTY, i % 9));
    expect(c.connections).toBe(4);
    expect(tcpHandles() - before).toBeLessThanOrEqual(4);
    const answers = await Promise.all(requests);
    const took = performance.now() - start;
    expect(answers).toEqual(Array.from({ length: 10_000 }, (_, i) => gameLogic(i % 2 === 0 ? ALIVE : EMPTY, i % 9)));
    expect(s.connections).toBe(4);
    expect(s.answered).toBe(10_000);
    expect(took).toBeLessThan(3_000);
  });

  it('reports a failure of the server logic for that cell only', async () => {
    const s = await server({
      latency: 0,
      logic: (state, neighbors, { y, x }) => {
        if (y === 1 && x === 2) throw new Error('Problem with I/O\nin game_logic');
        return gameLogic(state, neighbors);
      },
    });
    const c = client(s.port);
    const [bad, good] = await Promise.all([settle(c.decide(1, 2, ALIVE, 2)), settle(c.decide(0, 0, EMPTY, 3))]);
    expect(bad).toEqual({ ok: false, error: new RemoteLogicError('Error: Problem with I/O in game_logic') });
    expect(good).toEqual({ ok: true, value: ALIVE });
  });

  it('an abort rejects at once with the reason, cancels on the server and leaves no listener', async () => {
    const s = await server({ latency: 10_000 });
    const c = client(s.port, 2);
    const controller = new AbortController();
    const requests = Array.from({ length: 50 }, (_, i) => settle(c.decide(0, i, ALIVE, 2, { signal: controller.signal })));
    const unrelated = settle(c.decide(9, 9, ALIVE, 2, { timeout: 60_000 }));
    expect(abortListeners(controller.signal)).toBe(1);
    await vi.waitFor(() => expect(s.pending).toBe(51));
    const reason = new Error('gave up');
    controller.abort(reason);
    for (const result of await Promise.all(requests)) expect(result).toEqual({ ok: false, error: reason });
    expect(c.pending).toBe(1);
    expect(abortListeners(controller.signal)).toBe(0);
    await vi.waitFor(() => expect(s.pending).toBe(1));
    await c.close();
    expect((await unrelated).ok).toBe(false);
  });

  it('an already aborted signal rejects without sending anything', async () => {
    const s = await server({ latency: 0 });
    const c = client(s.port);
    const reason = new Error('already');
    await expect(c.decide(0, 0, ALIVE, 2, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(c.connections).toBe(0);
  });

  it('a timeout rejects with TimeoutError and leaves no timer', async () => {
    const s = await server({ latency: 10_000 });
    const c = client(s.port);
    await expect(c.decide(0, 0, ALIVE, 2, { timeout: 20 })).rejects.toEqual(
      new TimeoutError('LifeClient.decide timed out after 20 milliseconds'),
    );
    expect(c.pending).toBe(0);
  });

  it('rejects requests in flight when the server goes away, then reconnects on demand', async () => {
    const s = await server({ latency: 10_000 });
    const c = client(s.port, 2);
    const inFlight = [settle(c.decide(0, 0, ALIVE, 2)), settle(c.decide(0, 1, ALIVE, 2))];
    await vi.waitFor(() => expect(s.pending).toBe(2));
    await s.close();
    for (const result of await Promise.all(inFlight)) {
      expect(result.ok).toBe(false);
      expect((result as { error: unknown }).error).toBeInstanceOf(LifeConnectionError);
    }
    expect(c.connections).toBe(0);
    const refused = await settle(c.decide(0, 0, ALIVE, 2));
    expect((refused as { error: Error }).error).toBeInstanceOf(LifeConnectionError);
    expect((refused as { error: Error }).error.message).toMatch(/^Connection to game server 127\.0\.0\.1:\d+ failed: connect ECONNREFUSED/);
  });

  it('close() rejects what is in flight, closes every socket and is idempotent', async () => {
    const s = await server({ latency: 10_000 });
    const before = tcpHandles();
    const c = connectLifeServer({ port: s.port, connections: 3 });
    const inFlight = Array.from({ length: 9 }, (_, i) => settle(c.decide(0, i, ALIVE, 2)));
    await vi.waitFor(() => expect(s.pending).toBe(9));
    await c.close();
    await c.close();
    for (const result of await Promise.all(inFlight)) expect((result as { error: Error }).error).toEqual(new LifeConnectionError('LifeClient was closed with requests in flight'));
    expect(c.connections).toBe(0);
    await vi.waitFor(() => expect(s.connections).toBe(0));
    expect(s.pending).toBe(0);
    expect(tcpHandles()).toBeLessThanOrEqual(before);
    await expect(c.decide(0, 0, ALIVE, 2)).rejects.toEqual(new InvalidStateError('LifeClient is closed'));
  });

  it('drops a client that sends a malformed line', async () => {
    const s = await server({ latency: 0 });
    const socket = connect({ port: s.port, host: '127.0.0.1' });
    await once(socket, 'connect');
    socket.write('hello\n');
    await once(socket, 'close');
    expect(s.connections).toBe(0);
  });

  it('rejects bad options with the message template', async () => {
    expect(() => startLifeServer({ port: 70_000 })).toThrow(new RangeError('Expected `port` to be an integer between 0 and 65535, got `70000` (number)'));
    expect(() => startLifeServer({ latency: -1 })).toThrow(new RangeError('Expected `latency` to be an integer >= 0, got `-1` (number)'));
    expect(() => startLifeServer({ logic: 3 as any })).toThrow(new TypeError('Expected `logic` to be a function, got `3` (number)'));
    expect(() => connectLifeServer({ port: 0 })).toThrow(new RangeError('Expected `port` to be an integer >= 1, got `0` (number)'));
    expect(() => connectLifeServer({ port: 1, connections: 0 })).toThrow(new RangeError('Expected `connections` to be an integer >= 1, got `0` (number)'));
    const s = await server({ latency: 0 });
    const c = client(s.port);
    expect(() => c.decide(0, 0, 'x' as any, 1)).toThrow(new TypeError("Expected `state` to be '*' (ALIVE) or '-' (EMPTY), got `\"x\"` (string)"));
    expect(() => c.decide(0, 0, ALIVE, -1)).toThrow(new RangeError('Expected `neighbors` to be an integer >= 0, got `-1` (number)'));
  });

  it('rejects when the port is taken', async () => {
    const s = await server({ latency: 0 });
    await expect(startLifeServer({ port: s.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
