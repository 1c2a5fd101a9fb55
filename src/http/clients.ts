/**
 * What each client gets, decided from its User-Agent: which codecs (the stored ones, or ones
 * every client decodes), which Zarr formats' documents, and how JSON spells NaN. Measured
 * (docs/design.md, "Clients"):
 * - zarr-python 2 and 3 both come through fsspec (aiohttp's User-Agent). zarr-python 3 asks for
 *   `zarr.json`, `.zgroup`, `.zattrs` and `.zmetadata` at once and warns when both formats
 *   answer, so Python gets v3 documents plus the root `.zmetadata` (what zarr-python 2 and
 *   xarray 2023 open), and NaN bare, as Python's json writes and reads it.
 * - GDAL reads v3 first from 3.13 on, but its v3 reader takes the never-null v3 `fill_value` as
 *   NoData (0 for arrays without `_FillValue`) and lacks the shuffle codec: GDAL gets v2. GDAL
 *   before 3.11 has no shuffle filter, and GDAL 3.6 sends no User-Agent at all: those get the
 *   compatible codecs. GDAL's JSON reader (json-c) reads bare NaN as a float; the strings stay
 *   strings, so GDAL gets NaN bare too.
 * - Everyone else (zarrita, browsers, curl) gets both formats and strict JSON.
 */
import { BOTH_STRICT, type DocStyle, type Formats } from "../zarr/style.ts";

/** A store's two faces: stored chunk bytes, or chunks every client decodes. */
export type View = "stored" | "compat";

/** The first GDAL version (major * 100 + minor) that reads the shuffle filter. */
export const GDAL_SHUFFLE_VERSION = 311;

/** Everything that depends on who asks. */
export interface ClientView {
  /** Which chunk codecs the client gets. */
  readonly view: View;
  /** Which documents answer, and how their JSON spells NaN. */
  readonly style: DocStyle;
}

/** HTTP libraries of Python, through which zarr-python, fsspec and xarray read. */
const PYTHON = /\b(aiohttp|python-requests|Python-urllib|python-httpx|urllib3)\//i;

/** The codec view for a request with this User-Agent header. */
export function viewFor(userAgent: string | null): View {
  if (!userAgent) return "compat";
  const gdal = /\bGDAL\/(\d+)\.(\d+)/.exec(userAgent);
  if (gdal && Number(gdal[1]) * 100 + Number(gdal[2]) < GDAL_SHUFFLE_VERSION) return "compat";
  return "stored";
}

/**
 * What a request with this User-Agent gets; `formats` narrows the documents to one format
 * (the `/v2/NAME/` URLs).
 */
export function clientView(userAgent: string | null, formats?: Formats): ClientView {
  const view = viewFor(userAgent);
  const ua = userAgent ?? "";
  let style: DocStyle = BOTH_STRICT;
  if (PYTHON.test(ua)) style = { formats: "v3", nonFinite: "bare" };
  else if (!userAgent || /\bGDAL\//.test(ua)) style = { formats: "v2", nonFinite: "bare" };
  return { view, style: formats ? { ...style, formats } : style };
}
