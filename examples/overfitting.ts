/**
 * The seed's section 2.3 with numbers: a network that overfits (a large MLP on 1,000 MNIST digits), then
 * the same network smaller, with L2 weight regularization, and with dropout, each with its validation
 * curve, its best epoch and the epoch where overfitting started.
 *
 * Run: npm run build && node dist/examples/overfitting.js [epochs]
 */
import type { History, Tensor } from '../src/index.js';
import { setSeed } from '../src/index.js';
import type { MlpParams } from './mnist-mlp.js';
import { buildMlp, curvesSummary, curvesTable, mnistVectors, pixelPipeline } from './mnist-mlp.js';

export interface RegularizationStudy {
  histories: Record<string, History>;
  table: string;
  summary: string;
}

/** Trains each variant on (x, y), validating on (xVal, yVal). */
export async function compareRegularization(x: Tensor, y: Tensor, xVal: Tensor, yVal: Tensor, epochs: number): Promise<RegularizationStudy> {
  const variants: Record<string, MlpParams> = {
    large: { units: 512 },
    smaller: { units: 32 },
    l2: { units: 512, l2: 1e-4 },
    dropout: { units: 512, dropout: 0.5 },
  };
  const runs: Record<string, { history: History; params: number }> = {};
  for (const [name, params] of Object.entries(variants)) {
    setSeed(42);
    const model = buildMlp(params);
    const history = await model.fit(x, y, { epochs, batchSize: 64, validationData: [xVal, yVal], verbose: 0 });
    runs[name] = { history, params: model.countParams() };
  }
  const histories = Object.fromEntries(Object.entries(runs).map(([n, r]) => [n, r.history]));
  const note = "(the l2 model's losses include its weight penalty, as Keras reports them; its accuracy does not)";
  return { histories, table: curvesTable(histories), summary: `${curvesSummary(runs)}\n${note}` };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const epochs = Number(process.argv[2] ?? 20);
  const data = mnistVectors(1000, 2000);
  const prepare = pixelPipeline.clone().fit(data.xTrain);
  const study = await compareRegularization(prepare.transform(data.xTrain), data.yTrain, prepare.transform(data.xTest), data.yTest, epochs);
  console.log(`Training on 1,000 MNIST digits, validating on 2,000 others, ${epochs} epochs.\n`);
  console.log(study.table);
  console.log();
  console.log(study.summary);
}
