/**
 * Child process of fuzz.test.ts: calls public entry points with random arguments and option objects from
 * a seeded generator, for the given number of milliseconds, and prints one JSON line per call that did
 * not give a clear error or a well-formed result. An abort or a hang ends the process, which the parent
 * sees.
 */
import * as lw from '../src/index.js';

const [backend, seedText, msText] = process.argv.slice(2) as [lw.BackendName, string, string];
lw.setBackend(backend);

// mulberry32: a small seeded generator of its own, so that the library's random state stays untouched.
let state = Number(seedText) >>> 0;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const int = (n: number): number => Math.floor(random() * n);

const NUMBERS = [0, 1, 2, 3, -1, 1.5, NaN, Infinity, -Infinity, 1e300, 2 ** 31, 2 ** 53, -0, 0.5, 1e-30];
const STRINGS = ['', 'relu', 'same', 'valid', 'float32', 'int32', 'bool', 'string', 'x', '2', 'glorotUniform', 'mse'];
const KEYS = ['units', 'activation', 'dtype', 'axis', 'keepDims', 'shape', 'filters', 'kernelSize', 'strides', 'padding', 'rate', 'bias', 'k', 'minval', 'maxval', 'mean', 'stddev', 'step', 'useBias', 'inputShape', 'name', 'poolSize', 'transposeA', 'transposeB', 'activaton', 'epochs', 'batchSize'];

function shape(): number[] {
  return Array.from({ length: int(4) }, () => int(4));
}

function smallTensor(): lw.Tensor {
  const s = shape();
  const dtype = pick(['float32', 'float32', 'int32', 'bool'] as const);
  return dtype === 'float32' ? lw.randomUniform(s, { minval: -2, maxval: 2 }) : lw.cast(lw.randomUniform(s, { minval: 0, maxval: 3 }), dtype);
}

/** A random value of any kind the public API might be handed. */
function value(depth = 0): unknown {
  switch (int(depth > 1 ? 7 : 10)) {
    case 0: return pick(NUMBERS);
    case 1: return pick(STRINGS);
    case 2: return pick([true, false, null, undefined]);
    case 3: return shape();
    case 4: return smallTensor();
    case 5: return pick([new Float32Array(int(5)), new Uint8Array(3), new Int32Array([1, 2]), new Float64Array([0.5, NaN])]);
    case 6: return int(3) === 0 ? [['a', 1], [2]] : Array.from({ length: int(4) }, () => pick(NUMBERS));
    case 7: return options(depth + 1);
    case 8: return [value(depth + 1), value(depth + 1)];
    default: return pick([{}, [], () => 1, new Map(), Symbol('s'), 10n, new DataView(new ArrayBuffer(4))]);
  }
}

function options(depth = 0): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let i = int(3); i > 0; i--) o[pick(KEYS)] = value(depth + 1);
  return o;
}

/** Entry points and how many arguments to draw for each. */
const ENTRIES: [string, (args: unknown[]) => unknown, number][] = [
  ['zeros', (a) => lw.zeros(a[0] as never, a[1] as never), 2],
  ['ones', (a) => lw.ones(a[0] as never, a[1] as never), 2],
  ['fill', (a) => lw.fill(a[0] as never, a[1] as never, a[2] as never), 3],
  ['tensor', (a) => lw.tensor(a[0] as never, a[1] as never, a[2] as never), 3],
  ['randomUniform', (a) => lw.randomUniform(a[0] as never, a[1] as never), 2],
  ['randomNormal', (a) => lw.randomNormal(a[0] as never, a[1] as never), 2],
  ['range', (a) => lw.range(a[0] as never, a[1] as never, a[2] as never), 3],
  ['eye', (a) => lw.eye(a[0] as never, a[1] as never), 2],
  ['matmul', (a) => lw.matmul(a[0] as never, a[1] as never, a[2] as never), 3],
  ['add', (a) => lw.add(a[0] as never, a[1] as never), 2],
  ['mul', (a) => lw.mul(a[0] as never, a[1] as never), 2],
  ['reshape', (a) => lw.reshape(a[0] as never, a[1] as never), 2],
  ['sum', (a) => lw.sum(a[0] as never, a[1] as never), 2],
  ['mean', (a) => lw.mean(a[0] as never, a[1] as never), 2],
  ['max', (a) => lw.max(a[0] as never, a[1] as never), 2],
  ['cast', (a) => lw.cast(a[0] as never, a[1] as never), 2],
  ['relu', (a) => lw.relu(a[0] as never), 1],
  ['softmax', (a) => lw.softmax(a[0] as never, a[1] as never), 2],
  ['concat', (a) => lw.concat(a[0] as never, a[1] as never), 2],
  ['stack', (a) => lw.stack(a[0] as never, a[1] as never), 2],
  ['transpose', (a) => lw.transpose(a[0] as never, a[1] as never), 2],
  ['conv2d', (a) => lw.conv2d(a[0] as never, a[1] as never, a[2] as never), 3],
  ['maxPool2d', (a) => lw.maxPool2d(a[0] as never, a[1] as never), 2],
  ['oneHot', (a) => lw.oneHot(a[0] as never, a[1] as never), 2],
  ['argmax', (a) => lw.argmax(a[0] as never, a[1] as never), 2],
  ['linear', (a) => lw.linear(a[0] as never, a[1] as never, a[2] as never), 3],
  ['toCategorical', (a) => lw.toCategorical(a[0] as never, a[1] as never), 2],
  ['Dense', (a) => new lw.Dense(a[0] as never), 1],
  ['Conv2D', (a) => new lw.Conv2D(a[0] as never), 1],
  ['Dropout', (a) => new lw.Dropout(a[0] as never), 1],
  ['Sequential', (a) => new lw.Sequential(a[0] as never), 1],
];

const DTYPES = new Set(['float32', 'float64', 'int32', 'bool']);
// What a JavaScript slip inside the library looks like, rather than a message written for the caller.
const OBSCURE = /Cannot read properties|is not a function|is not iterable|is not a constructor|undefined \(reading|Invalid array length|Maximum call stack|\[object Object\]/;

const deadline = Date.now() + Number(msText);
let calls = 0;
while (Date.now() < deadline) {
  const [name, call, arity] = ENTRIES[int(ENTRIES.length)]!;
  const args = Array.from({ length: arity }, () => (random() < 0.5 ? pick([smallTensor(), shape(), options()]) : value()));
  // A third of the calls get a plausible first argument: a tensor, a shape or options.
  calls++;
  let problem: string | null = null;
  try {
    const r = call(args);
    if (r instanceof lw.Tensor) {
      if (!DTYPES.has(r.dtype)) problem = `returned dtype ${String(r.dtype)}`;
      else if (r.size !== r.shape.reduce((a, b) => a * b, 1) || r.data().length !== r.size) problem = `returned a tensor whose data does not fill shape [${r.shape.join(', ')}]`;
    }
  } catch (e) {
    if (!(e instanceof lw.LayerwiseError)) problem = e instanceof Error ? `threw a bare ${e.constructor.name}: ${e.message}` : `threw ${String(e)}`;
    // The message starts with the entry point (a layer adds its name after the class); an allocation too
    // large for the machine may name the op inside the entry point that asked for it.
    else if (OBSCURE.test(e.message) || !(e.message.startsWith(name) || /: cannot allocate a \w+ tensor of shape/.test(e.message))) problem = `unclear message: ${e.message}`;
  }
  if (problem !== null) {
    const shown = args.map((a) => (a instanceof lw.Tensor ? `Tensor ${a.dtype} [${a.shape.join(',')}]` : typeof a === "bigint" || typeof a === "symbol" ? String(a) : typeof a === 'function' ? 'function' : JSON.stringify(a, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))));
    console.log(JSON.stringify({ name, args: shown, problem: problem.slice(0, 300) }));
  }
}
console.log(JSON.stringify({ calls }));
