/** A chunk's values from its stored bytes: the one rule every reader of stored chunks follows. */
import type { StoredChunks, StoredCodec } from "../model/types.ts";
import { decodeStored } from "./registry.ts";

/** Decodes stored bytes (natively by default; the transcoder's workers when given). */
export type StoredDecoder = (
  codecs: readonly StoredCodec[],
  bytes: Uint8Array,
) => Promise<Uint8Array | null>;

/**
 * The decoded bytes (`length` of them) of the chunk at `coords`, from the bytes stored for it
 * and the codecs actually applied (a writer may skip a filter for one chunk); null when only
 * the source can make it: unwritten, an unknown codec, a codec error, or the wrong length.
 */
export async function decodedChunk(
  stored: StoredChunks,
  coords: readonly number[],
  length: number,
  decode: StoredDecoder = decodeStored,
): Promise<Uint8Array | null> {
  const got = stored.readApplied
    ? await stored.readApplied(coords)
    : await stored.read(coords).then((bytes) => bytes && { bytes, codecs: stored.codecs });
  if (!got) return null;
  const raw = await decode(got.codecs, got.bytes).catch(() => null);
  return raw?.length === length ? raw : null;
}
