/**
 * Lets the event loop run: pending finalizers give tensor memory back (native and WebAssembly backends
 * recycle buffers when their arrays are collected), progress output flushes and timers fire. Uses
 * setImmediate where it exists (Node) and a MessageChannel otherwise, because browsers clamp nested
 * setTimeout(0) to 4 ms.
 */
let channel: InstanceType<typeof MessageChannel> | null = null;
const waiting: (() => void)[] = [];

export function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  if (channel === null) {
    channel = new MessageChannel();
    channel.port1.addEventListener('message', () => waiting.shift()?.());
    channel.port1.start();
  }
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel!.port2.postMessage(null);
  });
}
