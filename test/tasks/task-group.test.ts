import { setTimeout as nodeDelay } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CancelledError, InvalidStateError, TaskGroupError, TimeoutError } from '../../src/core/errors.js';
import { sleep } from '../../src/tasks/sleep.js';
import { Task } from '../../src/tasks/task.js';
import { TaskGroup, taskGroup } from '../../src/tasks/task-group.js';
import { abortListeners, deferred, flush, settle } from '../helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

/** A child that waits until its signal aborts, then rejects with the reason (a well-behaved cancellation). */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

/** The failure of a group call, which the test expects to be a TaskGroupError. */
async function groupError(promise: Promise<unknown>): Promise<TaskGroupError> {
  const outcome = await settle(promise);
  if (outcome.ok) throw new Error('expected the group to fail');
  expect(outcome.error).toBeInstanceOf(TaskGroupError);
  return outcome.error as TaskGroupError;
}

describe('taskGroup', () => {
  // asyncio test_taskgroup_01 / _02: results of children, spawned at once or later in the body.
  it('waits for every child and resolves with the body value', async () => {
    const a = deferred<number>();
    const b = deferred<number>();
    let t1: Task<number> | undefined;
    let t2: Task<number> | undefined;
    let finished = false;
    const run = taskGroup(async (group) => {
      t1 = group.spawn(() => a.promise);
      await flush();
      t2 = group.spawn(() => b.promise);
      return 'body';
    }).then((value) => {
      finished = true;
      return value;
    });
    await flush();
    a.resolve(42);
    await flush();
    expect(finished).toBe(false);
    expect(t1?.done()).toBe(true);
    expect(t2?.done()).toBe(false);
    b.resolve(11);
    await expect(run).resolves.toBe('body');
    expect(t1?.result()).toBe(42);
    expect(await t2!).toBe(11);
  });

  it('starts a child synchronously inside spawn and accepts plain values', async () => {
    const order: string[] = [];
    await taskGroup((group) => {
      const task = group.spawn(() => {
        order.push('child');
        return 5;
      });
      order.push('after spawn');
      expect(task.state).toBe('running');
    });
    expect(order).toEqual(['child', 'after spawn']);
  });

  // asyncio test_taskgroup_04 / test_cancel_children_on_child_error; errgroup TestWithContext (the
  // first error cancels the shared context).
  it('aborts the siblings and the body on the first failure and rejects with every real error', async () => {
    const boom = new Error('boom');
    const fail = deferred();
    let bodySignal: AbortSignal | undefined;
    let sibling: Task<never> | undefined;
    const run = taskGroup(async (group) => {
      bodySignal = group.signal;
      group.spawn(async () => {
        await fail.promise;
        throw boom;
      });
      sibling = group.spawn((signal) => untilAborted(signal));
      await untilAborted(group.signal); // the body is cancelled too; its rejection is not an error
    });
    await flush();
    expect(bodySignal?.aborted).toBe(false);
    fail.resolve();
    const error = await groupError(run);
    expect(error.errors).toEqual([boom]);
    expect(error.message).toBe('TaskGroup failed: Error: boom');
    expect(bodySignal?.reason).toBeInstanceOf(CancelledError);
    expect((bodySignal?.reason as CancelledError).cause).toBe(boom);
    expect(sibling?.cancelled()).toBe(true);
    expect(() => sibling?.result()).toThrow(CancelledError);
  });

  it('keeps errors thrown while children clean up after the abort (asyncio test_taskgroup_19)', async () => {
    const first = new Error('first');
    const cleanup = new Error('cleanup failed');
    const trigger = deferred();
    const run = taskGroup(async (group) => {
      group.spawn(async () => {
        await trigger.promise;
        throw first;
      });
      group.spawn(async (signal) => {
        await untilAborted(signal).catch(() => undefined);
        throw cleanup;
      });
      group.spawn((signal) => untilAborted(signal));
    });
    trigger.resolve();
    const error = await groupError(run);
    expect(error.errors).toEqual([first, cleanup]);
    expect(error.message).toBe('TaskGroup failed with 2 errors, the first: Error: first');
    expect(error.cause).toBeUndefined();
  });

  it("counts Node's AbortError whose cause is the group's reason as a cancellation", async () => {
    const boom = new Error('boom');
    let nodeTimer: Task<void> | undefined;
    const error = await groupError(
      taskGroup(async (group) => {
        nodeTimer = group.spawn(async (signal) => {
          await nodeDelay(60_000, undefined, { signal });
        });
        group.spawn(async () => {
          await flush();
          throw boom;
        });
      }),
    );
    expect(error.errors).toEqual([boom]);
    expect(nodeTimer?.cancelled()).toBe(true);
    expect((nodeTimer?.exception() as Error).name).toBe('AbortError');
  });

  // asyncio test_taskgroup_09 / _10: the body fails; children are cancelled.
  it('treats a failing body like a failing child', async () => {
    const bodyError = new Error('body');
    const tasks: Task<never>[] = [];
    const error = await groupError(
      taskGroup(async (group) => {
        tasks.push(group.spawn((signal) => untilAborted(signal)));
        tasks.push(group.spawn((signal) => untilAborted(signal)));
        await flush();
        throw bodyError;
      }),
    );
    expect(error.errors).toEqual([bodyError]);
    expect(tasks.map((task) => task.cancelled())).toEqual([true, true]);
  });

  it('reports a child error once when the body rethrows it by awaiting the task', async () => {
    const boom = new Error('boom');
    const error = await groupError(
      taskGroup(async (group) => {
        const task = group.spawn(async () => {
          await flush();
          throw boom;
        });
        await task;
      }),
    );
    expect(error.errors).toEqual([boom]);
  });

  it('never lets an unawaited failed task become an unhandled rejection', async () => {
    const boom = new Error('unawaited');
    const error = await groupError(
      taskGroup((group) => {
        group.spawn(() => {
          throw boom; // synchronous throw: the task's rejection
        });
      }),
    );
    expect(error.errors).toEqual([boom]);
    await flush();
  });

  // asyncio test_cancellation / test_taskgroup_07 / _17 / _22: cancelled from outside.
  it('rejects with the signal reason when the caller aborts, after every child has finished', async () => {
    const controller = new AbortController();
    const cleanup = deferred();
    let cleaned = false;
    let bodyAborted = false;
    const run = settle(
      taskGroup(
        async (group) => {
          for (let i = 0; i < 3; i++) group.spawn((signal) => untilAborted(signal));
          group.spawn(async (signal) => {
            await untilAborted(signal).catch(() => undefined);
            await cleanup.promise;
            cleaned = true;
          });
          await untilAborted(group.signal).catch((reason: unknown) => {
            bodyAborted = true;
            throw reason;
          });
        },
        { signal: controller.signal },
      ),
    );
    await flush();
    expect(abortListeners(controller.signal)).toBe(1);
    controller.abort('user cancelled');
    await flush();
    expect(bodyAborted).toBe(true);
    let settled = false;
    void run.then(() => {
      settled = true;
    });
    await flush();
    expect(settled).toBe(false); // a child is still cleaning up
    cleanup.resolve();
    expect(await run).toEqual({ ok: false, error: 'user cancelled' });
    expect(cleaned).toBe(true);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  // asyncio test_taskgroup_18: errors raised in response to the cancellation win over it.
  it('rejects with a TaskGroupError whose cause is the reason when cleanup fails after an outside abort', async () => {
    const controller = new AbortController();
    const cleanup = new Error('cleanup');
    const run = taskGroup(
      async (group) => {
        group.spawn(async (signal) => {
          await untilAborted(signal).catch(() => undefined);
          throw cleanup;
        });
        await flush();
        controller.abort('stop');
      },
      { signal: controller.signal },
    );
    const error = await groupError(run);
    expect(error.errors).toEqual([cleanup]);
    expect(error.cause).toBe('stop');
  });

  it('rejects at once with the reason of an already aborted signal, never running the body', async () => {
    const body = vi.fn();
    const reason = new Error('already');
    await expect(taskGroup(body, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(body).not.toHaveBeenCalled();
  });

  it('times out with a TimeoutError, cancelling the children', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let child: Task<void> | undefined;
    const run = settle(
      taskGroup(
        (group) => {
          child = group.spawn((signal) => sleep(10_000, { signal }));
        },
        { timeout: 100 },
      ),
    );
    await vi.advanceTimersByTimeAsync(100);
    const outcome = await run;
    expect(outcome).toEqual({ ok: false, error: new TimeoutError('TaskGroup timed out after 100 milliseconds') });
    expect(child?.cancelled()).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  // asyncio test_taskgroup_13: an outer child fails while an inner group runs.
  it('cancels a nested group through its signal and reports only the real error', async () => {
    const outerError = new Error('outer');
    const trigger = deferred();
    const error = await groupError(
      taskGroup(async (outer) => {
        outer.spawn(async () => {
          await trigger.promise;
          throw outerError;
        });
        trigger.resolve();
        await taskGroup((inner) => {
          inner.spawn((signal) => untilAborted(signal));
        }, { signal: outer.signal });
      }),
    );
    expect(error.errors).toEqual([outerError]);
  });

  // asyncio test_taskgroup_14: the inner group fails first; its error nests in the outer one.
  it('nests the TaskGroupError of an inner group that failed first', async () => {
    const innerError = new Error('inner');
    const error = await groupError(
      taskGroup(async (outer) => {
        outer.spawn((signal) => untilAborted(signal));
        await taskGroup((inner) => {
          inner.spawn(async () => {
            await flush();
            throw innerError;
          });
        }, { signal: outer.signal });
      }),
    );
    expect(error.errors).toHaveLength(1);
    expect(error.errors[0]).toBeInstanceOf(TaskGroupError);
    expect((error.errors[0] as TaskGroupError).errors).toEqual([innerError]);
  });

  // asyncio test_taskgroup_24 / _25: children spawn children, also after the body returned.
  it('waits for children spawned by children after the body returned', async () => {
    let spawned = 0;
    const hydra = (group: TaskGroup, depth: number) => async (): Promise<void> => {
      spawned++;
      await flush();
      if (depth < 3) {
        group.spawn(hydra(group, depth + 1));
        group.spawn(hydra(group, depth + 1));
      }
    };
    await taskGroup((group) => {
      group.spawn(hydra(group, 0));
    });
    expect(spawned).toBe(15);
  });

  it('throws from spawn at once, never calling the function, once the group is failing or finished', async () => {
    const fn = vi.fn(async () => 1);
    let failing: unknown;
    const boom = new Error('boom');
    await groupError(
      taskGroup(async (group) => {
        group.spawn(() => {
          throw boom;
        });
        await flush();
        try {
          group.spawn(fn);
        } catch (error) {
          failing = error;
        }
      }),
    );
    expect(failing).toBeInstanceOf(InvalidStateError);
    expect((failing as Error).message).toBe('Cannot spawn into a TaskGroup that is shutting down');
    expect(((failing as Error).cause as CancelledError).cause).toBe(boom);

    let finished: TaskGroup | undefined;
    await taskGroup((group) => {
      finished = group;
    });
    expect(() => finished?.spawn(fn)).toThrow(new InvalidStateError('Cannot spawn into a TaskGroup that has finished'));
    expect(fn).not.toHaveBeenCalled();
  });

  it('throws synchronously for bad arguments', () => {
    expect(() => taskGroup(5 as any)).toThrow(new TypeError('Expected `body` to be a function, got `5` (number)'));
    expect(() => taskGroup(() => undefined, { timeout: -1 })).toThrow(
      new RangeError('Expected `timeout` to be a number of milliseconds >= 0, got `-1` (number)'),
    );
    expect(() => new TaskGroup().spawn('x' as any)).toThrow(new TypeError('Expected `fn` to be a function, got `"x"` (string)'));
  });
});

describe('TaskGroup with await using', () => {
  // errgroup TestZeroGroup: a group that nothing failed in just waits and reports nothing.
  it('waits for every child when the block ends', async () => {
    const gate = deferred();
    const order: string[] = [];
    const block = (async () => {
      await using group = new TaskGroup();
      group.spawn(async () => {
        await gate.promise;
        order.push('child');
      });
      expect(group.size).toBe(1);
    })().then(() => order.push('after block'));
    await flush();
    expect(order).toEqual([]);
    gate.resolve();
    await block;
    expect(order).toEqual(['child', 'after block']);
  });

  it('rejects from dispose with the TaskGroupError, and dispose is idempotent', async () => {
    const group = new TaskGroup();
    const boom = new Error('boom');
    group.spawn(async () => {
      throw boom;
    });
    const first = group[Symbol.asyncDispose]();
    expect(group[Symbol.asyncDispose]()).toBe(first);
    const error = await groupError(first);
    expect(error.errors).toEqual([boom]);
  });

  it('has Task result() and exception() follow asyncio.Task', async () => {
    const group = new TaskGroup();
    const gate = deferred<string>();
    const task = group.spawn(() => gate.promise);
    expect(() => task.result()).toThrow(new InvalidStateError('Task is still running'));
    expect(() => task.exception()).toThrow(new InvalidStateError('Task is still running'));
    gate.resolve('value');
    await group[Symbol.asyncDispose]();
    expect(task.state).toBe('fulfilled');
    expect(task.exception()).toBeUndefined();
    expect(task.cancelled()).toBe(false);
  });

  it('detaches from the caller signal once disposed', async () => {
    const controller = new AbortController();
    const group = new TaskGroup({ signal: controller.signal });
    expect(abortListeners(controller.signal)).toBe(1);
    group.spawn(async () => 1);
    await group[Symbol.asyncDispose]();
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('is born shutting down with an aborted signal: spawn throws and dispose rejects with the reason', async () => {
    const group = new TaskGroup({ signal: AbortSignal.abort('early') });
    expect(() => group.spawn(async () => 1)).toThrow(new InvalidStateError('Cannot spawn into a TaskGroup that is shutting down'));
    await expect(group[Symbol.asyncDispose]()).rejects.toBe('early');
  });
});
