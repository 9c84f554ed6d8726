/**
 * `loom life-server`: the built command run as a child process, as a user would run it next
 * to `loom life --io tcp --server HOST:PORT` — the ready line with the ephemeral port, a client
 * in another process computing generations through it, the count of answers on the way out,
 * 130/143 on SIGINT/SIGTERM, and exit status 2 or 1 for what cannot be served. The command's
 * `run` is also driven in this process to see that it leaves no listener behind.
 */

import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { lifeServerCommand } from '../../src/cli/commands/life-server.js';
import { ColumnPrinter } from '../../src/life/column-printer.js';
import { seedGlider } from '../../src/life/patterns.js';
import { simulate } from '../../src/life/rules.js';
import { abortListeners, deferred, settle } from '../helpers.js';
import { runCli, startCli, type Running } from './spawn-cli.js';

const HINT = 'Run `loom --help` for usage.\n';
const READY = /^loom life-server listening on 127\.0\.0\.1:(\d+) \(latency (\d+) ms\)$/;

/** The port from the server's ready line (its first line), once it is printed. */
function readyPort(cli: Running): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let stdout = '';
    const onData = (chunk: string): void => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      cli.child.stdout.off('data', onData);
      const match = READY.exec(stdout.slice(0, newline));
      if (match === null) reject(new Error(`Unexpected first line: ${stdout}`));
      else resolve(Number(match[1]));
    };
    cli.child.stdout.on('data', onData);
    void cli.finished.then((finished) => reject(new Error(`loom life-server exited before its ready line: ${JSON.stringify(finished)}`)), reject);
  });
}

describe('loom life-server (the built command)', () => {
  it('prints its ready line, serves a loom life in another process, and exits 130 on SIGINT after counting its answers', async () => {
    const server = startCli(['life-server', '--port', '0', '--latency', '5']);
    const port = await readyPort(server);
    expect(port).toBeGreaterThan(0);
    const client = await runCli(['life', '--io', 'tcp', '--server', `127.0.0.1:${port}`, '--strategy', 'async', '--generations', '2']);
    expect({ code: client.code, stderr: client.stderr }).toEqual({ code: 0, stderr: '' });
    const printer = new ColumnPrinter();
    printer.append(seedGlider().toString());
    printer.append(simulate(seedGlider()).toString());
    printer.append(simulate(simulate(seedGlider())).toString());
    const columns = `${printer.toString()}\n`;
    expect(client.stdout.slice(0, columns.length)).toBe(columns);
    expect(client.stdout.slice(columns.length)).toMatch(/^2 generations of 45 cells, async: \d+\.\d ms per generation on average\n$/);
    server.child.kill('SIGINT');
    const { code, stdout, stderr } = await server.finished;
    expect({ code, stderr }).toEqual({ code: 130, stderr: '' });
    // Two generations of the 45-cell glider: one answer per cell per generation.
    expect(stdout).toBe(`loom life-server listening on 127.0.0.1:${port} (latency 5 ms)\nloom life-server stopped after 90 answers\n`);
  });

  it('defaults to 127.0.0.1, an ephemeral port and the seed\'s 100 ms, and exits 143 on SIGTERM', async () => {
    const server = startCli(['life-server']);
    const port = await readyPort(server);
    server.child.kill('SIGTERM');
    expect(await server.finished).toEqual({
      code: 143,
      stdout: `loom life-server listening on 127.0.0.1:${port} (latency 100 ms)\nloom life-server stopped after 0 answers\n`,
      stderr: '',
    });
  });

  it('exits 1 with the cause when the port is taken', async () => {
    const taken = createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    try {
      const { port } = taken.address() as AddressInfo;
      const { code, stdout, stderr } = await runCli(['life-server', '--port', String(port)]);
      expect({ code, stdout, stderr }).toEqual({
        code: 1,
        stdout: '',
        stderr: `loom: Cannot listen on 127.0.0.1:${port}\n  caused by: Error: listen EADDRINUSE: address already in use 127.0.0.1:${port}\n`,
      });
    } finally {
      taken.close();
    }
  });

  it.each([
    [['--port', '70000'], 'Expected `--port` to be an integer from 0 to 65535, got `70000`'],
    [['--port', '-1'], 'Expected `--port` to be an integer from 0 to 65535, got `-1`'],
    [['--latency=-1'], 'Expected `--latency` to be an integer from 0 to 2147483647, got `-1`'],
    [['--latency', '1e3'], 'Expected `--latency` to be an integer from 0 to 2147483647, got `1e3`'],
    [['--host'], 'Option --host needs a value'],
    [['--max-connections', '0'], 'Expected `--max-connections` to be an integer >= 1, got `0`'],
    [['--max-in-flight', 'many'], 'Expected `--max-in-flight` to be an integer >= 1, got `many`'],
    [['--idle-timeout', '0'], 'Expected `--idle-timeout` to be an integer from 1 to 2147483647, got `0`'],
    [['--idle-timeout', '2147483648'], 'Expected `--idle-timeout` to be an integer from 1 to 2147483647, got `2147483648`'],
    [['7000'], 'Unexpected argument 7000 for loom life-server: it takes options only'],
    [['--workers', '2'], 'Unknown option --workers for loom life-server: expected one of --host, --port, --latency, --max-connections, --max-in-flight, --idle-timeout, --help'],
  ])('loom life-server %j: exit 2 with the message', async (args, message) => {
    expect(await runCli(['life-server', ...args])).toEqual({ code: 2, stdout: '', stderr: `${message}\n${HINT}` });
  });

  it('--help prints the usage and options', async () => {
    const { code, stdout } = await runCli(['life-server', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: loom life-server \[--host HOST\] \[--port PORT\] \[--latency MS\] \[--max-connections N\] \[--max-in-flight N\] \[--idle-timeout MS\]\n/);
    expect(stdout).toContain('      --latency MS         Milliseconds before each answer (default 100).');
  });
});

describe('lifeServerCommand.run (in this process)', () => {
  it('serves until the signal aborts, rejects with its reason, and leaves no listener', async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const ready = deferred();
    const serving = lifeServerCommand.run({
      positionals: [],
      values: { latency: '0' },
      out: (line) => {
        lines.push(line);
        ready.resolve();
      },
      err: (line) => lines.push(line),
      signal: controller.signal,
    });
    await ready.promise;
    expect(lines).toEqual([expect.stringMatching(/^loom life-server listening on 127\.0\.0\.1:\d+ \(latency 0 ms\)$/)]);
    const reason = new Error('Interrupted by SIGINT');
    controller.abort(reason);
    expect(await settle(serving)).toEqual({ ok: false, error: reason });
    expect(lines.at(-1)).toBe('loom life-server stopped after 0 answers');
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('does not listen when the signal is already aborted', async () => {
    const lines: string[] = [];
    const reason = new Error('early');
    const result = await settle(lifeServerCommand.run({ positionals: [], values: {}, out: (line) => lines.push(line), err: (line) => lines.push(line), signal: AbortSignal.abort(reason) }));
    expect(result).toEqual({ ok: false, error: reason });
    expect(lines).toEqual([]);
  });
});
