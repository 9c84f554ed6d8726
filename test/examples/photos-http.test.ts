/**
 * The photo example's `fetch` stages against a server that misbehaves: a body over the bound
 * (declared, or streamed without a length) is refused without being kept, an error status is
 * a `TransferError`, and an abort rejects with its reason.
 */

import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { download, TransferError, upload } from '../../examples/photos/http.js';

let server: Server | undefined;

afterEach(async () => {
  const closing = server;
  server = undefined;
  if (closing === undefined) return;
  closing.closeAllConnections();
  await new Promise((resolve) => closing.close(resolve));
});

/** A server answering every request with `answer`; resolves with its base URL. */
async function serve(answer: (response: ServerResponse, method: string) => void): Promise<string> {
  const started = createServer((request, response) => {
    request.resume();
    request.on('end', () => answer(response, request.method ?? ''));
  });
  server = started;
  await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(started.address() as AddressInfo).port}`;
}

async function failure(promise: Promise<unknown>): Promise<TransferError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TransferError);
  return error as TransferError;
}

describe('download', () => {
  it('returns the body in an ArrayBuffer of its own', async () => {
    const url = await serve((response) => response.end(Buffer.from([1, 2, 3])));
    const bytes = await download(`${url}/x`);
    expect(bytes).toEqual(new Uint8Array([1, 2, 3]));
    expect(bytes.buffer.byteLength).toBe(3);
  });

  it('refuses a declared length over the bound before reading the body', async () => {
    const url = await serve((response) => response.writeHead(200, { 'content-length': 11 }).end(Buffer.alloc(11)));
    const error = await failure(download(`${url}/big`, { maxBytes: 10 }));
    expect(error.message).toBe(`GET ${url}/big: 11 bytes refused, the limit is 10`);
    expect(error.status).toBe(0);
  });

  it('refuses a streamed body once it grows past the bound', async () => {
    const url = await serve((response) => {
      response.writeHead(200);
      response.write(Buffer.alloc(8));
      response.end(Buffer.alloc(8));
    });
    const error = await failure(download(`${url}/chunked`, { maxBytes: 10 }));
    expect(error.message).toBe(`GET ${url}/chunked: body refused past 10 bytes, the limit`);
  });

  it('accepts a body of exactly the bound', async () => {
    const url = await serve((response) => response.end(Buffer.alloc(10)));
    expect((await download(`${url}/x`, { maxBytes: 10 })).byteLength).toBe(10);
  });

  it('turns a status other than 200 into a TransferError', async () => {
    const url = await serve((response) => response.writeHead(404).end('nope'));
    const error = await failure(download(`${url}/missing`));
    expect(error.message).toBe(`GET ${url}/missing answered 404`);
    expect(error.status).toBe(404);
  });

  it('rejects with the abort reason', async () => {
    const url = await serve(() => undefined);
    const controller = new AbortController();
    const reason = new Error('stop');
    const pending = download(`${url}/slow`, { signal: controller.signal });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});

describe('upload', () => {
  it('sends the bytes with PUT and resolves on 201', async () => {
    const methods: string[] = [];
    const url = await serve((response, method) => {
      methods.push(method);
      response.writeHead(201).end('stored');
    });
    await upload(`${url}/t/0`, new Uint8Array([1]));
    expect(methods).toEqual(['PUT']);
  });

  it('turns another status into a TransferError', async () => {
    const url = await serve((response) => response.writeHead(200).end('ok'));
    const error = await failure(upload(`${url}/t/0`, new Uint8Array([1])));
    expect(error.message).toBe(`PUT ${url}/t/0 answered 200`);
    expect(error.status).toBe(200);
  });

  it('refuses an answer over 4096 bytes', async () => {
    const url = await serve((response) => response.writeHead(201, { 'content-length': 5000 }).end(Buffer.alloc(5000)));
    expect((await failure(upload(`${url}/t/0`, new Uint8Array([1])))).message).toBe(`PUT ${url}/t/0: 5000 bytes refused, the limit is 4096`);
  });
});
