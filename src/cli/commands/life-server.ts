/**
 * `loom life-server`: the Game of Life game server in the foreground, for `loom life --io tcp
 * --server HOST:PORT` in other processes (the seed's "massively multiplayer online game"). It
 * prints one ready line with the address it bound, so that scripts and tests can wait for it
 * and read an ephemeral port (`--port 0`), serves until interrupted, then prints how many
 * answers it gave and closes every connection before the process exits.
 *
 * Serving never ends by itself, so the command always ends by rejecting with the interruption
 * (exit status 130 or 143), like `loom idle`; the server's open socket is what keeps the
 * process alive meanwhile.
 *
 * @module
 */

import { once } from 'node:events';
import type { Command } from '../command.js';
import { integerValue, noPositionals, textValue } from './life/values.js';

/**
 * The `life-server` command.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const serving = lifeServerCommand.run({ positionals: [], values: { port: '0' }, out: console.log, err: console.error, signal: controller.signal });
 * controller.abort(new Error('Interrupted'));
 * await serving.catch(() => {}); // printed the ready line, then the stopped line
 * ```
 */
export const lifeServerCommand: Command = {
  name: 'life-server',
  usage: '[--host HOST] [--port PORT] [--latency MS]',
  summary: 'Runs the Game of Life server that `loom life --io tcp --server HOST:PORT` talks to, until interrupted.',
  details: [
    'Answers each cell\'s request with its next state after the latency (default 100 ms, the seed\'s '
      + 'cross-country round trip). Prints `loom life-server listening on HOST:PORT (latency MS ms)` once ready.',
  ],
  options: {
    host: { type: 'string', valueName: 'HOST', description: 'Interface to listen on (default 127.0.0.1).' },
    port: { type: 'string', valueName: 'PORT', description: 'TCP port, 0 for any free one (default 0).' },
    latency: { type: 'string', valueName: 'MS', description: 'Milliseconds before each answer (default 100).' },
  },
  async run({ positionals, values, out, signal }) {
    noPositionals('life-server', positionals);
    const host = textValue(values, 'host') ?? '127.0.0.1';
    const port = integerValue(values, 'port', 0, { min: 0, max: 65_535 });
    const latency = integerValue(values, 'latency', 100, { min: 0 });
    signal.throwIfAborted();
    const { startLifeServer } = await import('../../life/net/server.js');
    await using server = await startLifeServer({ host, port, latency }).catch((error: unknown) => {
      throw new Error(`Cannot listen on ${host}:${port}`, { cause: error });
    });
    out(`loom life-server listening on ${server.host}:${server.port} (latency ${server.latency} ms)`);
    try {
      if (!signal.aborted) await once(signal, 'abort');
      throw signal.reason;
    } finally {
      out(`loom life-server stopped after ${server.answered} answers`);
    }
  },
};
