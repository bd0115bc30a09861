/**
 * Model factories, preprocessing and scorers for the cluster's tests, in the folder their workers are
 * allowed to import from (the workflow's own testing module lies outside it, so importing it is refused).
 */
export { buildClassifier, buildOrThrow, preprocess, scoring } from '../../src/workflow/testing.js';
