/**
 * The colour map of quick-looks: viridis (perceptually uniform, readable in grey and by most
 * colour-blind readers), as matplotlib's ten-step table, interpolated to 255 colours.
 */

const VIRIDIS = [
  "440154",
  "482878",
  "3e4a89",
  "31688e",
  "26828e",
  "1f9e89",
  "35b779",
  "6dcd59",
  "b4de2c",
  "fde725",
].map((h) => [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)));

/** Palette entries: 0 is for masked pixels (transparent), 1..255 run from min to max. */
export const PALETTE_SIZE = 256;

/** The RGB triple at `t` in [0, 1]. */
export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [VIRIDIS[i], VIRIDIS[i + 1]];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f)) as [number, number, number];
}

/** The palette (entry 0 grey, made transparent by `PALETTE_ALPHA`) and its alpha table. */
export const PALETTE: Uint8Array = (() => {
  const p = new Uint8Array(PALETTE_SIZE * 3);
  p.set([128, 128, 128], 0);
  for (let i = 1; i < PALETTE_SIZE; i++) p.set(viridis((i - 1) / (PALETTE_SIZE - 2)), i * 3);
  return p;
})();

/** Alpha of entry 0 only: masked pixels are transparent. */
export const PALETTE_ALPHA: Uint8Array = new Uint8Array([0]);

/** The palette index of value `v` between `min` and `max` (0 when masked). */
export function paletteIndex(v: number, min: number, max: number): number {
  if (!Number.isFinite(v)) return 0;
  if (max <= min) return 128;
  return 1 + Math.min(254, Math.floor(((v - min) / (max - min)) * 255));
}

/** The colour scale as a CSS gradient, for the legend. */
export function cssGradient(): string {
  const stops = VIRIDIS.map((c, i) =>
    `rgb(${c.join(",")}) ${(i / (VIRIDIS.length - 1) * 100).toFixed(0)}%`
  );
  return `linear-gradient(to right, ${stops.join(", ")})`;
}
