/**
 * BullMQ and ioredis load on first use. Imported with the library they cost every program about 8 MiB of
 * heap and 0.4 s of start-up, and a larger heap makes each of V8's full collections slower; the native
 * backend's tensor memory triggers those collections, so the convnet benchmark trained 1.3x and
 * predicted 1.8x slower with them loaded.
 */
import type { Redis as RedisClient } from 'ioredis';

export function bullmq(): Promise<typeof import('bullmq')> {
  return import('bullmq');
}
export async function ioredis(): Promise<{ Redis: typeof RedisClient }> {
  const { Redis } = await import('ioredis');
  return { Redis };
}
