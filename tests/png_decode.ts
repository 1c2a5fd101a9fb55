/** A small PNG reader for tests: 8-bit palette or RGB(A) images, any row filter. */
import { inflateSync } from "node:zlib";

/** A decoded image as RGBA, rows top to bottom. */
export interface Rgba {
  width: number;
  height: number;
  rgba: Uint8Array;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes `png` (color types 2, 3 and 6, bit depth 8, no interlace). */
export function decodePng(png: Uint8Array): Rgba {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8, width = 0, height = 0, type = 0;
  let palette: Uint8Array = new Uint8Array(0), alpha: Uint8Array = new Uint8Array(0);
  const idat: Uint8Array[] = [];
  while (at < png.length) {
    const len = view.getUint32(at);
    const kind = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + len);
    if (kind === "IHDR") {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      if (data[8] !== 8 || data[12] !== 0) throw new Error("only 8-bit, non-interlaced PNGs");
      type = data[9];
    } else if (kind === "PLTE") palette = data;
    else if (kind === "tRNS") alpha = data;
    else if (kind === "IDAT") idat.push(data);
    at += 12 + len;
  }
  const bpp = type === 3 ? 1 : type === 2 ? 3 : type === 6 ? 4 : 0;
  if (!bpp) throw new Error(`PNG colour type ${type} not supported`);
  const raw = new Uint8Array(inflateSync(Buffer.concat(idat)));
  const stride = width * bpp;
  const px = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? px[y * stride + x - bpp] : 0;
      const b = y > 0 ? px[(y - 1) * stride + x] : 0;
      const c = x >= bpp && y > 0 ? px[(y - 1) * stride + x - bpp] : 0;
      const pred = f === 0
        ? 0
        : f === 1
        ? a
        : f === 2
        ? b
        : f === 3
        ? (a + b) >> 1
        : paeth(a, b, c);
      px[y * stride + x] = (row[x] + pred) & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    if (type === 3) {
      const p = px[i];
      rgba.set(palette.subarray(p * 3, p * 3 + 3), i * 4);
      rgba[i * 4 + 3] = p < alpha.length ? alpha[p] : 255;
    } else {
      rgba.set(px.subarray(i * bpp, i * bpp + 3), i * 4);
      rgba[i * 4 + 3] = bpp === 4 ? px[i * bpp + 3] : 255;
    }
  }
  return { width, height, rgba };
}

/** The RGBA of pixel (x, y). */
export function pixel(img: Rgba, x: number, y: number): [number, number, number, number] {
  const i = (y * img.width + x) * 4;
  return [img.rgba[i], img.rgba[i + 1], img.rgba[i + 2], img.rgba[i + 3]];
}
