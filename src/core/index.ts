export { Deadline, timeoutError, isForever, type WaitOptions } from './deadline.js';
export {
  TimeoutError,
  CancelledError,
  InvalidStateError,
  QueueEmpty,
  QueueFull,
  QueueClosed,
  BrokenBarrierError,
  TaskGroupError,
} from './errors.js';
export { WaitQueue } from './wait-queue.js';
export { checkFunction, checkInteger, checkOptions, checkWaitOptions, describeValue, expectation } from './validate.js';
