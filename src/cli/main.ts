#!/usr/bin/env node
/** The `layerwise` command line. */
import { Command } from 'commander';
import { addClusterCommands } from './cluster.js';
import { addMnistCommand } from './mnist.js';

const program = new Command()
  .name('layerwise')
  .description('Deep learning for TypeScript: Keras-style models, autodiff and fast CPU backends.')
  .showHelpAfterError('(add --help for the options)');
addMnistCommand(program);
addClusterCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(`layerwise: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
