/**
 * SHA-256 (FIPS 180-4), synchronous, over the UTF-8 bytes of a string.
 *
 * Why not js-sha256: it costs 4.0 KB gzip in the browser bundle (it carries
 * SHA-224, HMAC and ArrayBuffer plumbing we never call), a third of the
 * 12 KB budget; this is 0.6 KB. Synchronous like it, so an event can still
 * be built inside `pagehide` (Web Crypto's `digest` is async). Checked
 * against Node's `crypto` over thousands of random Unicode strings.
 */

// First 32 bits of the fractional parts of the cube roots of the first 64 primes.
// Int32Array, not Uint32Array: words above 2^31 would leave V8's small-integer
// fast path (a Uint32Array made this 7x slower than js-sha256).
const K = new Int32Array(64);
// First 32 bits of the fractional parts of the square roots of the first 8 primes.
const H0 = new Int32Array(8);
const W = new Int32Array(64);
let encoder: TextEncoder | undefined;

function fractionBits(x: number): number {
  return ((x - Math.floor(x)) * 0x100000000) | 0;
}

function fillConstants(): void {
  let n = 0;
  for (let candidate = 2; n < 64; candidate++) {
    let prime = true;
    for (let d = 2; d * d <= candidate; d++) if (candidate % d === 0) prime = false;
    if (!prime) continue;
    if (n < 8) H0[n] = fractionBits(Math.sqrt(candidate));
    K[n++] = fractionBits(Math.cbrt(candidate));
  }
}

/** Rotates a 32-bit word right by `n` bits. */
const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

export function sha256(text: string): string {
  if (K[0] === 0) fillConstants();
  const data = (encoder ??= new TextEncoder()).encode(text);
  const bitLength = data.length * 8;
  // Message, the 0x80 marker, zero padding, and the 64-bit length: a multiple of 64 bytes.
  const blocks = new Uint8Array(((data.length + 72) >> 6) << 6);
  blocks.set(data);
  blocks[data.length] = 0x80;
  const view = new DataView(blocks.buffer);
  view.setUint32(blocks.length - 8, Math.floor(bitLength / 0x100000000));
  view.setUint32(blocks.length - 4, bitLength >>> 0);

  const h = H0.slice();
  const w = W;
  for (let offset = 0; offset < blocks.length; offset += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getInt32(offset + i * 4);
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15]!;
      const y = w[i - 2]!;
      w[i] = w[i - 16]! + (rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)) + w[i - 7]! + (rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10));
    }
    let a = h[0]!,
      b = h[1]!,
      c = h[2]!,
      d = h[3]!,
      e = h[4]!,
      f = h[5]!,
      g = h[6]!,
      hh = h[7]!;
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    [a, b, c, d, e, f, g, hh].forEach((v, i) => (h[i]! += v));
  }
  let hex = '';
  // Sixteen bits at a time: small integers keep toString on its fast path.
  for (let i = 0; i < 16; i++) hex += (((h[i >> 1]! >>> (i & 1 ? 0 : 16)) & 0xffff) | 0x10000).toString(16).slice(1);
  return hex;
}
