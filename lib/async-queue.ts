// A queue that producers push into and one consumer reads as an async iterable: several concurrent sources (the
// two model streams of a written turn) become one ordered stream of events. Closing ends the iteration once the
// buffer is drained; the consumer stopping early (break, return) calls `onStop` so the producers can stop too.

export type AsyncQueue<T> = AsyncIterable<T> & {
  push(value: T): void;
  close(): void;
  readonly closed: boolean;
};

export function createAsyncQueue<T>(onStop: () => void = () => undefined): AsyncQueue<T> {
  const buffer: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | null = null;
  let closed = false;
  let stopped = false;

  const wake = (result: IteratorResult<T>) => {
    const resolve = waiting;
    waiting = null;
    resolve?.(result);
  };

  const iterator: AsyncIterator<T> = {
    next() {
      if (buffer.length > 0) return Promise.resolve({ value: buffer.shift() as T, done: false });
      if (closed || stopped) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return() {
      if (!stopped) {
        stopped = true;
        closed = true;
        buffer.length = 0;
        onStop();
      }
      wake({ value: undefined, done: true });
      return Promise.resolve({ value: undefined, done: true });
    },
  };

  return {
    push(value) {
      if (closed) return;
      if (waiting) wake({ value, done: false });
      else buffer.push(value);
    },
    close() {
      if (closed) return;
      closed = true;
      if (buffer.length === 0) wake({ value: undefined, done: true });
    },
    get closed() {
      return closed;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
}
