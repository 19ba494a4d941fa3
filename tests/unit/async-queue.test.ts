import { describe, expect, it } from "vitest";
import { createAsyncQueue } from "@/lib/async-queue";

describe("createAsyncQueue", () => {
  it("hands values to the reader in order, whether pushed before or while it waits, and ends once closed and drained", async () => {
    const queue = createAsyncQueue<number>();
    queue.push(1);
    const iterator = queue[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ value: 1, done: false });
    const waiting = iterator.next();
    queue.push(2);
    expect(await waiting).toEqual({ value: 2, done: false });
    queue.push(3);
    queue.close();
    queue.push(4); // after close: dropped
    expect(queue.closed).toBe(true);
    expect(await iterator.next()).toEqual({ value: 3, done: false });
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  it("ends a waiting reader when closed", async () => {
    const queue = createAsyncQueue<string>();
    const waiting = queue[Symbol.asyncIterator]().next();
    queue.close();
    expect(await waiting).toEqual({ value: undefined, done: true });
  });

  it("tells the producers when the reader stops early, once, and then takes nothing more", async () => {
    let stops = 0;
    const queue = createAsyncQueue<number>(() => (stops += 1));
    queue.push(1);
    queue.push(2);
    const seen: number[] = [];
    for await (const value of queue) {
      seen.push(value);
      break;
    }
    expect(seen).toEqual([1]);
    expect(stops).toBe(1);
    queue.push(3);
    const iterator = queue[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
    await iterator.return!();
    expect(stops).toBe(1);
  });

  it("wakes a reader that is waiting when it is stopped", async () => {
    const queue = createAsyncQueue<number>();
    const iterator = queue[Symbol.asyncIterator]();
    const waiting = iterator.next();
    await iterator.return!();
    expect(await waiting).toEqual({ value: undefined, done: true });
  });
});
