/** The in-place progress line on a Node terminal, drawn by cli-progress (only the Node entry imports it). */
import cliProgress from 'cli-progress';
import type { InPlaceLines } from './progress-bar.js';

export const terminalLines: InPlaceLines = (terminal, steps, first) => {
  const bar = new cliProgress.SingleBar({
    format: (_options, _params, payload: { line: string }) => payload.line,
    stream: terminal,
    hideCursor: true,
    linewrap: false,
    fps: 10,
    gracefulExit: true,
  });
  bar.start(steps, 0, { line: first });
  return { update: (step, line) => bar.update(step, { line }), stop: () => bar.stop() };
};
