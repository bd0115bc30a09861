import * as lw from './dist/src/index.js';
import { float64Input } from './dist/src/layers/testing.js';
const x = float64Input([2, 5, 3], 4);
const bi = new lw.Bidirectional({ layer: new lw.LSTM({ units: 2, returnState: true, dtype: 'float64' }) });
const initial = [0, 1, 2, 3].map((i) => float64Input([2, 2], 30 + i));
const { output, states } = bi.applyWithState(x, { initialState: initial });
const f = bi.forwardLayer.applyWithState(x, { initialState: initial.slice(0, 2) });
const b = bi.backwardLayer.applyWithState(x, { initialState: initial.slice(2) });
console.log(states.map(s=>s.toArray()), f.states.map(s=>s.toArray()), b.states.map(s=>s.toArray()));
