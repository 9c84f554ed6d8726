/**
 * The strategies doing real network I/O against the game server: results equal `simulate`,
 * 10,000 cells per generation stay around one latency over a handful of sockets, and a failed
 * generation leaves no request, timer or socket behind, on either side.
 */

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  Grid,
  RemoteLogicError,
  SimulationError,
  connectLifeServer,
  gameLogic,
  simulate,
  simulateAsync,
  simulatePhasedPipeline,
  simulatePipeline,
  simulatePool,
  simulateThreaded,
  startLifeServer,
  type LifeClient,
  type LifeServer,
  type SimulateOptions,
  randomGrid,
} from '../../src/life/index.js';

const strategies: [string, (grid: Grid, opts: SimulateOptions) => Promise<Grid>][] = [
  ['simulateAsync', simulateAsync],
  ['simulateThreaded', simulateThreaded],
  ['simulatePool', (g, o) => simulatePool(g, { ...o, concurrency: 1_000 })],
  ['simulatePipeline', (g, o) => simulatePipeline(g, { ...o, workers: 200 })],
  ['simulatePhasedPipeline', (g, o) => simulatePhasedPipeline(g, { ...o, workers: 200 })],
];

let server: LifeServer;
let client: LifeClient;
beforeAll(async () => {
  server = await startLifeServer({ latency: 20 });
  client = connectLifeServer({ port: server.port, connections: 4 });
});
afterAll(async () => {
  await client.close();
  await server.close();
});

function tcpSockets(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap').length;
}

describe.each(strategies)('%s over tcp', (_name, run) => {
  it('equals simulate, over at most the pool\'s connections', async () => {
    let grid = randomGrid(12, 20, { seed: 7 });
    for (let g = 0; g < 3; g++) {
      const next = await run(grid, { gameLogic: client.gameLogic });
      expect(next.equals(simulate(grid))).toBe(true);
      grid = next;
    }
    expect(client.connections).toBeLessThanOrEqual(4);
    expect(client.pending).toBe(0);
  });

  it('a failing cell aborts the generation and leaves no request or socket behind', async () => {
    const sockets = tcpSockets();
    const failing = new Error('Problem with I/O in game_logic');
    const outcome = run(randomGrid(10, 10, { seed: 3 }), {
      gameLogic: async (state, neighbors, ctx) => {
        if (ctx.y === 2 && ctx.x === 3) throw failing;
        return client.gameLogic(state, neighbors, ctx);
      },
    });
    await expect(outcome).rejects.toEqual(new SimulationError(2, 3, { cause: failing }));
    expect(client.pending).toBe(0);
    await vi.waitFor(() => expect(server.pending).toBe(0));
    expect(tcpSockets()).toBe(sockets);
  });
});

describe('10,000 cells per generation over tcp', () => {
  it.each([
    ['simulateAsync', simulateAsync],
    ['simulateThreaded', simulateThreaded],
  ] as const)('%s: each generation takes about one latency, over 4 sockets', async (_name, run) => {
    await using slow = await startLifeServer({ latency: 100 });
    await using pooled = connectLifeServer({ port: slow.port, connections: 4 });
    let grid = randomGrid(100, 100, { seed: 56 });
    for (let g = 0; g < 2; g++) {
      const start = performance.now();
      const next = await run(grid, { gameLogic: pooled.gameLogic });
      const took = performance.now() - start;
      expect(next.equals(simulate(grid))).toBe(true);
      expect(took).toBeGreaterThanOrEqual(95);
      expect(took).toBeLessThan(2_000);
      grid = next;
    }
    expect(pooled.connections).toBe(4);
    expect(slow.connections).toBe(4);
    expect(slow.answered).toBe(20_000);
  });

  it('a server-side failure surfaces as SimulationError with the RemoteLogicError as cause', async () => {
    await using failing = await startLifeServer({
      latency: 5,
      logic: (state, neighbors, { y, x }) => {
        if (y === 40 && x === 60) throw new Error('player left');
        return gameLogic(state, neighbors);
      },
    });
    await using pooled = connectLifeServer({ port: failing.port });
    const error = await simulateAsync(randomGrid(100, 100, { seed: 1 }), { gameLogic: pooled.gameLogic }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SimulationError);
    expect([(error as SimulationError).y, (error as SimulationError).x]).toEqual([40, 60]);
    expect((error as SimulationError).cause).toEqual(new RemoteLogicError('Error: player left'));
    expect(pooled.pending).toBe(0);
    await vi.waitFor(() => expect(failing.pending).toBe(0));
  });
});
