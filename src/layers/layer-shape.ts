/** Layer shapes: sizes that are unknown until data arrives are null, the batch axis first among them. */

/** A shape whose batch axis (and possibly others) is unknown until data arrives: [null, 28, 28, 1]. */
export type LayerShape = readonly (number | null)[];

/** Shapes as Keras prints them: (None, 26, 26, 32). */
export function formatLayerShape(shape: LayerShape): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;
}

/** A concrete shape read as a layer shape: the batch axis becomes unknown. */
export function withUnknownBatch(shape: readonly number[]): LayerShape {
  return shape.length === 0 ? [] : [null, ...shape.slice(1)];
}

/** Text for messages: [null, 28, 28, 1]. */
export function fmtLayerShape(shape: LayerShape): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}
