// mulberry32: a tiny seeded PRNG. Each fault draws from its own, so a run with the same seed and the
// same requests fires the same faults.

/** Numbers in [0, 1), the same sequence for the same 32-bit seed. */
export function mulberry32 (seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6D2B79F5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
