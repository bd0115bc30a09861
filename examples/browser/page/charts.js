// The two charts of the page: the training loss per batch (a canvas line chart, redrawn at most once a
// frame) and the predicted probabilities of a drawn digit (HTML bars, so that they read as text too).

const MARGIN = { left: 44, right: 12, top: 12, bottom: 28 };
/** Weight of the newest batch in the smoothed curve. */
const SMOOTHING = 0.1;

export class LossChart {
  #canvas;
  #losses = [];
  #smoothed = [];
  #totalBatches = 1;
  #pending = false;

  constructor(canvas) {
    this.#canvas = canvas;
    this.#draw();
  }

  /** Sets the x axis to the number of batches the run will train. */
  expect(totalBatches) {
    this.#totalBatches = Math.max(1, totalBatches);
    this.#schedule();
  }

  push(loss) {
    const previous = this.#smoothed.at(-1);
    this.#losses.push(loss);
    this.#smoothed.push(previous === undefined ? loss : previous + SMOOTHING * (loss - previous));
    this.#schedule();
  }

  #schedule() {
    if (this.#pending) return;
    this.#pending = true;
    requestAnimationFrame(() => {
      this.#pending = false;
      this.#draw();
    });
  }

  #draw() {
    const ctx = this.#canvas.getContext('2d');
    const { width, height } = this.#canvas;
    const plotWidth = width - MARGIN.left - MARGIN.right;
    const plotHeight = height - MARGIN.top - MARGIN.bottom;
    const top = niceCeiling(Math.max(0.5, ...this.#losses.slice(0, 20)));
    const x = (i) => MARGIN.left + (plotWidth * i) / this.#totalBatches;
    const y = (v) => MARGIN.top + plotHeight * (1 - Math.min(v, top) / top);

    ctx.clearRect(0, 0, width, height);
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = '#555';
    ctx.strokeStyle = '#e4e4e4';
    ctx.lineWidth = 1;
    const tick = niceCeiling(top / 5);
    for (let k = 0; k * tick <= top * 1.0001; k++) {
      const v = k * tick;
      ctx.beginPath();
      ctx.moveTo(MARGIN.left, y(v));
      ctx.lineTo(width - MARGIN.right, y(v));
      ctx.stroke();
      ctx.textAlign = 'right';
      ctx.fillText(String(Number(v.toFixed(3))), MARGIN.left - 6, y(v) + 4);
    }
    ctx.textAlign = 'center';
    ctx.fillText('batch', MARGIN.left + plotWidth / 2, height - 6);
    ctx.fillText('0', x(0), height - 14);
    ctx.fillText(String(this.#totalBatches), x(this.#totalBatches), height - 14);
    ctx.save();
    ctx.translate(12, MARGIN.top + plotHeight / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText('loss', 0, 0);
    ctx.restore();

    line(ctx, this.#losses, x, y, 'rgba(59, 125, 216, 0.35)', 1);
    line(ctx, this.#smoothed, x, y, '#1d4f9c', 2);
  }
}

function line(ctx, values, x, y, color, width) {
  if (values.length === 0) return;
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.beginPath();
  values.forEach((v, i) => (i === 0 ? ctx.moveTo(x(i + 1), y(v)) : ctx.lineTo(x(i + 1), y(v))));
  ctx.stroke();
}

/** The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least `v`. */
function niceCeiling(v) {
  const power = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((c) => c >= v);
}

/** One bar per digit, the most probable one highlighted. */
export function showProbabilities(container, probabilities) {
  const best = probabilities.indexOf(Math.max(...probabilities));
  container.replaceChildren(...probabilities.map((p, digit) => {
    const row = document.createElement('div');
    row.className = digit === best ? 'bar top' : 'bar';
    row.dataset.digit = String(digit);
    row.dataset.probability = String(p);
    const label = document.createElement('span');
    label.textContent = String(digit);
    const track = document.createElement('span');
    track.className = 'track';
    const fill = document.createElement('span');
    fill.className = 'fill';
    fill.style.width = `${(100 * p).toFixed(1)}%`;
    track.append(fill);
    const value = document.createElement('span');
    value.className = 'value';
    value.textContent = `${(100 * p).toFixed(1)}%`;
    row.append(label, track, value);
    return row;
  }));
  return best;
}
