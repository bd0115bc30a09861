/**
 * FarmHash's Fingerprint64 of a byte string (the hash TensorFlow's `to_hash_bucket_fast`, and so Keras's
 * Hashing layer, uses), in BigInt arithmetic modulo 2^64. Written here rather than taken from a package
 * because the packages ship it as WebAssembly that the browser bundle cannot include;
 * src/layers/hashing.test.ts checks it against the farmhash-modern package.
 */
const MASK = (1n << 64n) - 1n;
const K0 = 0xc3a5c85c97cb3127n;
const K1 = 0xb492b66fbe98f273n;
const K2 = 0x9ae16a3b2f90404fn;

const u64 = (v: bigint): bigint => v & MASK;
const mul = (a: bigint, b: bigint): bigint => (a * b) & MASK;
const add = (...vs: bigint[]): bigint => vs.reduce((s, v) => s + v, 0n) & MASK;
const rotate = (v: bigint, shift: bigint): bigint => (shift === 0n ? v : ((v >> shift) | (v << (64n - shift))) & MASK);
const shiftMix = (v: bigint): bigint => v ^ (v >> 47n);

function hashLen16(u: bigint, v: bigint, m: bigint): bigint {
  let a = mul(u ^ v, m);
  a ^= a >> 47n;
  let b = mul(v ^ a, m);
  b ^= b >> 47n;
  return mul(b, m);
}

/** Returns the pair of FarmHash's WeakHashLen32WithSeeds over the 32 bytes at `at`. */
function weak32(fetch: (at: number) => bigint, at: number, a0: bigint, b0: bigint): [bigint, bigint] {
  const w = fetch(at), x = fetch(at + 8), y = fetch(at + 16), z = fetch(at + 24);
  let a = add(a0, w);
  let b = rotate(add(b0, a, z), 21n);
  const c = a;
  a = add(a, x, y);
  b = add(b, rotate(a, 44n));
  return [add(a, z), add(b, c)];
}

export function fingerprint64(bytes: Uint8Array): bigint {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fetch = (at: number): bigint => view.getBigUint64(at, true);
  const fetch32 = (at: number): bigint => BigInt(view.getUint32(at, true));
  const len = bytes.length;
  const n = BigInt(len);
  if (len <= 16) {
    if (len >= 8) {
      const m = add(K2, n * 2n);
      const a = add(fetch(0), K2);
      const b = fetch(len - 8);
      const c = add(mul(rotate(b, 37n), m), a);
      const d = mul(add(rotate(a, 25n), b), m);
      return hashLen16(c, d, m);
    }
    if (len >= 4) {
      const m = add(K2, n * 2n);
      return hashLen16(add(n, u64(fetch32(0) << 3n)), fetch32(len - 4), m);
    }
    if (len > 0) {
      const y = BigInt(bytes[0]! + (bytes[len >> 1]! << 8));
      const z = BigInt(len + (bytes[len - 1]! << 2));
      return mul(shiftMix(mul(y, K2) ^ mul(z, K0)), K2);
    }
    return K2;
  }
  if (len <= 32) {
    const m = add(K2, n * 2n);
    const a = mul(fetch(0), K1), b = fetch(8), c = mul(fetch(len - 8), m), d = mul(fetch(len - 16), K2);
    return hashLen16(add(rotate(add(a, b), 43n), rotate(c, 30n), d), add(a, rotate(add(b, K2), 18n), c), m);
  }
  if (len <= 64) {
    const m = add(K2, n * 2n);
    const a = mul(fetch(0), K2), b = fetch(8), c = mul(fetch(len - 8), m), d = mul(fetch(len - 16), K2);
    const y = add(rotate(add(a, b), 43n), rotate(c, 30n), d);
    const z = hashLen16(y, add(a, rotate(add(b, K2), 18n), c), m);
    const e = mul(fetch(16), m), f = fetch(24);
    const g = mul(add(y, fetch(len - 32)), m), h = mul(add(z, fetch(len - 24)), m);
    return hashLen16(add(rotate(add(e, f), 43n), rotate(g, 30n), h), add(e, rotate(add(f, a), 18n), g), m);
  }
  const seed = 81n;
  let x = seed;
  let y = add(mul(seed, K1), 113n);
  let z = mul(shiftMix(add(mul(y, K2), 113n)), K2);
  let v: [bigint, bigint] = [0n, 0n];
  let w: [bigint, bigint] = [0n, 0n];
  x = add(mul(x, K2), fetch(0));
  const end = Math.floor((len - 1) / 64) * 64;
  const last64 = end + ((len - 1) & 63) - 63;
  for (let s = 0; s !== end; s += 64) {
    x = mul(rotate(add(x, y, v[0], fetch(s + 8)), 37n), K1);
    y = mul(rotate(add(y, v[1], fetch(s + 48)), 42n), K1);
    x ^= w[1];
    y = add(y, v[0], fetch(s + 40));
    z = mul(rotate(add(z, w[0]), 33n), K1);
    v = weak32(fetch, s, mul(v[1], K1), add(x, w[0]));
    w = weak32(fetch, s + 32, add(z, w[1]), add(y, fetch(s + 16)));
    [z, x] = [x, z];
  }
  const m = add(K1, (z & 0xffn) << 1n);
  const s = last64;
  w[0] = add(w[0], BigInt((len - 1) & 63));
  v[0] = add(v[0], w[0]);
  w[0] = add(w[0], v[0]);
  x = mul(rotate(add(x, y, v[0], fetch(s + 8)), 37n), m);
  y = mul(rotate(add(y, v[1], fetch(s + 48)), 42n), m);
  x ^= mul(w[1], 9n);
  y = add(y, mul(v[0], 9n), fetch(s + 40));
  z = mul(rotate(add(z, w[0]), 33n), m);
  v = weak32(fetch, s, mul(v[1], m), add(x, w[0]));
  w = weak32(fetch, s + 32, add(z, w[1]), add(y, fetch(s + 16)));
  [z, x] = [x, z];
  return hashLen16(add(hashLen16(v[0], w[0], m), mul(shiftMix(y), K0), z), add(hashLen16(v[1], w[1], m), x), m);
}
