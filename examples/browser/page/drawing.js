// The drawing pad: white strokes on black, like MNIST. toMnist() turns the drawing into what the model
// saw in training, the way MNIST was made: the digit scaled to fit a 20x20 box, placed in a 28x28 image
// with its centre of mass in the middle, pixels from 0 (background) to 1 (ink).

const SIZE = 28;
const BOX = 20;
const PEN_WIDTH = 20;

export class DrawingPad {
  #canvas;
  #ctx;
  #last = null;
  #enabled = false;

  /** `onStroke` runs after each stroke with the pad's contents as MNIST pixels. */
  constructor(canvas, onStroke) {
    this.#canvas = canvas;
    this.#ctx = canvas.getContext('2d', { willReadFrequently: true });
    this.clear();
    canvas.addEventListener('pointerdown', (e) => {
      if (!this.#enabled) return;
      canvas.setPointerCapture(e.pointerId);
      this.#last = this.#point(e);
      this.#segment(this.#last, this.#last);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (this.#last === null) return;
      const p = this.#point(e);
      this.#segment(this.#last, p);
      this.#last = p;
    });
    const end = () => {
      if (this.#last === null) return;
      this.#last = null;
      onStroke(this.toMnist());
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  }

  enable() {
    this.#enabled = true;
  }

  clear() {
    this.#ctx.fillStyle = '#000';
    this.#ctx.fillRect(0, 0, this.#canvas.width, this.#canvas.height);
  }

  #point(e) {
    const r = this.#canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * this.#canvas.width) / r.width, y: ((e.clientY - r.top) * this.#canvas.height) / r.height };
  }

  #segment(from, to) {
    const ctx = this.#ctx;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = PEN_WIDTH;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
  }

  /** 784 pixels in 0–1, row by row; null when nothing is drawn. */
  toMnist() {
    const { width, height } = this.#canvas;
    const rgba = this.#ctx.getImageData(0, 0, width, height).data;
    const ink = new Float32Array(width * height);
    let x0 = width, y0 = height, x1 = -1, y1 = -1, mass = 0, mx = 0, my = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const v = rgba[4 * (y * width + x)] / 255;
        ink[y * width + x] = v;
        if (v === 0) continue;
        x0 = Math.min(x0, x); x1 = Math.max(x1, x);
        y0 = Math.min(y0, y); y1 = Math.max(y1, y);
        mass += v; mx += v * (x + 0.5); my += v * (y + 0.5);
      }
    }
    if (mass === 0) return null;
    // Source pixels per target pixel; the centre of mass lands on the middle of the 28x28 image.
    const step = Math.max(x1 - x0 + 1, y1 - y0 + 1) / BOX;
    const cx = mx / mass, cy = my / mass;
    const pixels = new Float32Array(SIZE * SIZE);
    for (let v = 0; v < SIZE; v++) {
      for (let u = 0; u < SIZE; u++) {
        pixels[v * SIZE + u] = boxAverage(ink, width, height, cx + (u - SIZE / 2) * step, cy + (v - SIZE / 2) * step, step);
      }
    }
    return pixels;
  }
}

/** The mean of the source pixels whose centres fall in the square [left, left + side) x [top, top + side). */
function boxAverage(ink, width, height, left, top, side) {
  const xs = Math.max(0, Math.ceil(left - 0.5)), xe = Math.min(width, Math.ceil(left + side - 0.5));
  const ys = Math.max(0, Math.ceil(top - 0.5)), ye = Math.min(height, Math.ceil(top + side - 0.5));
  let sum = 0;
  for (let y = ys; y < ye; y++) for (let x = xs; x < xe; x++) sum += ink[y * width + x];
  const area = Math.max(1, Math.ceil(left + side - 0.5) - Math.ceil(left - 0.5)) * Math.max(1, Math.ceil(top + side - 0.5) - Math.ceil(top - 0.5));
  return Math.min(1, sum / area);
}
