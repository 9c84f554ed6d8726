import { describe, expect, it } from 'vitest';
import { LifeEngine, randomGrid } from '../../src/life/index.js';
import { stepBands, taskOf } from '../../src/life/engine/band-worker.js';
import { allocateControl, bandWord, SEGMENT_TASKS, segments, STOPPED, TICKET } from '../../src/life/engine/layout.js';
import { loadGrid } from '../../src/life/engine/engine.js';

describe('band tickets', () => {
  it('visit every band once per generation, each generation starting one band further on', () => {
    const bands = 5;
    for (let generation = 0; generation < 7; generation++) {
      const visited = Array.from({ length: bands }, (_, i) => taskOf(generation * bands + i, bands));
      expect(visited.every((task) => task.generation === generation)).toBe(true);
      expect(visited.map((task) => task.band)).toEqual(Array.from({ length: bands }, (_, i) => (generation + i) % bands));
    }
  });

  it('hand out a first task of each generation that needs only the first three tasks of the one before', () => {
    const bands = 8;
    for (let generation = 1; generation < 20; generation++) {
      const { band } = taskOf(generation * bands, bands);
      const needs = [band - 1, band, band + 1].map((b) => (b + bands) % bands);
      const previous = Array.from({ length: bands }, (_, i) => taskOf((generation - 1) * bands + i, bands).band);
      expect(needs.map((b) => previous.indexOf(b)).sort()).toEqual([0, 1, 2]);
    }
  });
});

describe('segments', () => {
  it('cut a step so that no segment hands out more than SEGMENT_TASKS tickets', () => {
    expect([...segments(0, 8)]).toEqual([]);
    expect([...segments(20, 16)]).toEqual([20]);
    const most = SEGMENT_TASKS / 16;
    expect([...segments(2 * most + 5, 16)]).toEqual([most, most, 5]);
    expect([...segments(most, 16)]).toEqual([most]);
    expect([...segments(3, SEGMENT_TASKS)]).toEqual([1, 1, 1]);
  });
});

describe('stepBands', () => {
  it('alone takes every ticket and leaves the bytes LifeEngine leaves: no thread waits for one that never comes', () => {
    const grid = randomGrid(40, 37, { seed: 11 });
    const single = new LifeEngine(grid);
    single.step(9);
    const buffers = loadGrid(grid);
    const bands = 6;
    const control = allocateControl(bands);
    expect(stepBands(buffers, control, bands, 0, 9)).toBe(bands * 9);
    expect(Buffer.from(buffers.buffer).equals(Buffer.from(single.buffers.buffer))).toBe(true);
    expect(Array.from({ length: bands }, (_, band) => control[bandWord(band)])).toEqual(Array(bands).fill(9));
  });

  it('steps nothing once the step is stopped, at its next ticket or at a band it would wait for', () => {
    const grid = randomGrid(12, 12, { seed: 12 });
    const untouched = Buffer.from(loadGrid(grid).buffer);
    for (const stopped of [TICKET, bandWord(0), bandWord(2)]) {
      const buffers = loadGrid(grid);
      const control = allocateControl(3);
      Atomics.or(control, stopped, STOPPED);
      expect(stepBands(buffers, control, 3, 0, 4)).toBe(0);
      expect(Buffer.from(buffers.buffer).equals(untouched)).toBe(true);
    }
  });
});
