/**
 * The photo example's HTTP server: it serves the photos, stores uploads per run and counts
 * duplicates, refuses bad paths, methods and oversized bodies (costing only the offender), and
 * `close()` leaves no socket or timer, even with answers still waiting out their latency.
 */

import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPhotoServer, type PhotoServer } from '../../examples/photos/server.js';
import { activeTimers, deferred, flush } from '../helpers.js';

const PHOTOS = [new Uint8Array([0xff, 0xd8, 1, 2, 3]), new Uint8Array([0xff, 0xd8, 4, 5])];

/** One short timer wait: gives the I/O phase of the loop a chance, unlike `flush()`. */
function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 10));
}

/** Sockets and servers alive in this process. */
function sockets(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind.startsWith('TCP')).length;
}

let servers: PhotoServer[] = [];
let before = { sockets: 0, timers: 0 };

beforeEach(async () => {
  await flush();
  before = { sockets: sockets(), timers: activeTimers() };
});

afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
  // fetch's end of a keep-alive connection closes when the server's FIN reaches it, some loop
  // turns after close() (more on a loaded machine); a leaked socket stays however long we wait.
  for (let wait = 0; wait < 200 && (sockets() > before.sockets || activeTimers() > before.timers); wait++) await pause();
  expect(sockets()).toBeLessThanOrEqual(before.sockets);
  expect(activeTimers()).toBeLessThanOrEqual(before.timers);
});

async function serve(latency = 0, maxUpload?: number): Promise<PhotoServer> {
  const server = await startPhotoServer({ photos: PHOTOS, latency, ...(maxUpload === undefined ? {} : { maxUpload }) });
  servers.push(server);
  return server;
}

/** A raw HTTP request (no keep-alive), for what `fetch` will not send. */
function raw(server: PhotoServer, method: string, path: string, body?: Uint8Array, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method, headers: { connection: 'close', ...headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('startPhotoServer', () => {
  it('serves each photo at /photos/<i> on 127.0.0.1', async () => {
    const server = await serve();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(server.photoUrl(1));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(PHOTOS[1]);
  });

  it('stores uploads per run, counting a duplicate and keeping the first body', async () => {
    const server = await serve();
    const put = (run: string, index: number, body: number[]): Promise<Response> => fetch(server.uploadUrl(run, index), { method: 'PUT', body: new Uint8Array(body) });
    expect((await put('serial', 0, [1])).status).toBe(201);
    expect((await put('serial', 0, [2])).status).toBe(201);
    expect((await put('pipelined', 0, [3])).status).toBe(201);
    expect((await put('serial', 7, [])).status).toBe(201);
    expect(server.uploads('serial')).toEqual(
      new Map([
        [0, { count: 2, bytes: new Uint8Array([1]) }],
        [7, { count: 1, bytes: new Uint8Array([]) }],
      ]),
    );
    expect(server.uploads('pipelined')).toEqual(new Map([[0, { count: 1, bytes: new Uint8Array([3]) }]]));
    expect(server.uploads('nothing').size).toBe(0);
  });

  it('answers 404 for unknown paths and photos, 405 for another method', async () => {
    const server = await serve();
    expect(server.received).toBe(0);
    expect(await raw(server, 'GET', '/photos/2')).toEqual({ status: 404, text: 'No photo 2: the server has 2\n' });
    expect((await raw(server, 'GET', '/photos/-1')).status).toBe(404);
    expect((await raw(server, 'GET', '/photos/1?x')).status).toBe(404);
    expect((await raw(server, 'GET', `/photos/${'1'.repeat(10)}`)).status).toBe(404);
    expect((await raw(server, 'PUT', '/thumbnails/Serial/1')).status).toBe(404);
    expect((await raw(server, 'PUT', `/thumbnails/${'a'.repeat(17)}/1`)).status).toBe(404);
    expect(await raw(server, 'GET', '/')).toEqual({ status: 404, text: 'No such resource: /\n' });
    expect(await raw(server, 'PUT', '/photos/0', new Uint8Array([1]))).toEqual({ status: 405, text: 'Method PUT not allowed on /photos/0\n' });
    expect((await raw(server, 'GET', '/thumbnails/serial/0')).status).toBe(405);
    expect(server.uploads('serial').size).toBe(0);
    expect(server.received).toBe(9);
  });

  it('refuses an upload over the limit, declared or streamed, and stores nothing of it', async () => {
    const server = await serve(0, 8);
    expect(await raw(server, 'PUT', '/thumbnails/a/0', new Uint8Array(9))).toEqual({ status: 413, text: 'Upload of 9 bytes refused: the limit is 8\n' });
    // Chunked, without a Content-Length: refused as the body grows past the limit.
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = request(server.uploadUrl('a', 1), { method: 'PUT', agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(new Uint8Array(6));
      req.write(new Uint8Array(6));
    });
    expect(streamed).toBe(413);
    expect((await raw(server, 'PUT', '/thumbnails/a/2', new Uint8Array(8))).status).toBe(201);
    expect([...server.uploads('a').keys()]).toEqual([2]);
  });

  it('answers after the latency', async () => {
    const server = await serve(30);
    const start = performance.now();
    await (await fetch(server.photoUrl(0))).arrayBuffer();
    // A lower bound only: a timer never fires early, a loaded machine only makes it late.
    expect(performance.now() - start).toBeGreaterThanOrEqual(29);
  });

  it('close() abandons answers still waiting, closes keep-alive sockets, and is idempotent', async () => {
    const server = await serve(60_000);
    const kept = await serve();
    await (await fetch(kept.photoUrl(0))).arrayBuffer();
    const waiting = fetch(server.photoUrl(0)).then(
      () => 'answered',
      () => 'failed',
    );
    // Wait until the request reached the server, which then sleeps in its latency.
    for (let wait = 0; wait < 200 && server.received === 0; wait++) await pause();
    expect(server.received).toBe(1);
    await Promise.all([server.close(), server.close(), kept.close()]);
    expect(await waiting).toBe('failed');
    await expect(fetch(kept.photoUrl(0))).rejects.toThrow();
  });

  it('close() ends a connection in the middle of an upload body', async () => {
    const server = await serve();
    const { promise: cut, resolve } = deferred<string>();
    const req = request(server.uploadUrl('a', 0), { method: 'PUT', agent: false }, () => resolve('answered'));
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    req.write(new Uint8Array(4));
    for (let wait = 0; wait < 200 && server.received === 0; wait++) await pause();
    expect(server.received).toBe(1);
    await server.close();
    expect(await cut).toBe('ECONNRESET');
    expect(server.uploads('a').size).toBe(0);
  });

  it('refuses bad options', () => {
    expect(() => startPhotoServer(undefined as never)).toThrow(new TypeError('Expected `options` to be an options object with `photos`, got `undefined`'));
    expect(() => startPhotoServer({ photos: ['x'] as never })).toThrow(new TypeError('Expected `photos` to be an array of Uint8Array, got `[object Array]` (Array)'));
    expect(() => startPhotoServer({ photos: [], latency: -1 })).toThrow(new RangeError('Expected `latency` to be an integer >= 0, got `-1` (number)'));
    expect(() => startPhotoServer({ photos: [], maxUpload: 0.5 })).toThrow(new RangeError('Expected `maxUpload` to be an integer >= 0, got `0.5` (number)'));
  });
});
