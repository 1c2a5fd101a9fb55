/// <reference lib="deno.worker" />
/** A worker that turns stored chunk bytes into the store's encoding, off the main thread. */
import { compressorFromSpec, decodeStored } from "../codecs/registry.ts";
import type { TranscodeJob } from "./transcoder.ts";

// One job at a time per worker, so one scratch buffer for unshuffled bytes serves them all.
let buffer = new Uint8Array(0);
const scratch = (
  length: number,
) => (buffer.length === length ? buffer : (buffer = new Uint8Array(length)));

self.onmessage = async (e: MessageEvent<TranscodeJob>) => {
  const { id, codecs, bytes, spec, length } = e.data;
  try {
    const raw = await decodeStored(codecs, bytes, scratch);
    if (raw.length !== length) {
      self.postMessage({ id, error: `decoded ${raw.length} bytes, expected ${length}` });
      return;
    }
    const out = await compressorFromSpec(spec).encode(raw);
    const copy = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength
      ? out
      : out.slice();
    self.postMessage({ id, out: copy }, [copy.buffer as ArrayBuffer]);
  } catch (err) {
    self.postMessage({ id, error: String(err) });
  }
};
