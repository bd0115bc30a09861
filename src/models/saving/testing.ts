/** For tests: an IO handler that keeps the artifacts in memory, as tf.io.fromMemory and withSaveHandler do. */
import type { IOHandler, ModelArtifacts } from './format.js';

export function memoryHandler(): IOHandler & { artifacts: ModelArtifacts | null } {
  const handler = {
    artifacts: null as ModelArtifacts | null,
    async save(a: ModelArtifacts): Promise<void> {
      handler.artifacts = a;
    },
    async load(): Promise<ModelArtifacts> {
      if (!handler.artifacts) throw new Error('memoryHandler: nothing was saved');
      return handler.artifacts;
    },
  };
  return handler;
}
