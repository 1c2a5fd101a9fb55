/**
 * Which view of a store a client gets. Every client reads the stored codecs
 * (shuffle included) except GDAL before 3.11, whose Zarr driver has no shuffle
 * filter (it came in 2025: frmts/zarr/zarr_filters.cpp); GDAL 3.6 sends no
 * User-Agent at all, so a request without one gets the compatible view too.
 */

/** A store's two faces: stored chunk bytes, or chunks every client decodes. */
export type View = "stored" | "compat";

/** The first GDAL version (major * 100 + minor) that reads the shuffle filter. */
export const GDAL_SHUFFLE_VERSION = 311;

/** The view for a request with this User-Agent header. */
export function viewFor(userAgent: string | null): View {
  if (!userAgent) return "compat";
  const gdal = /\bGDAL\/(\d+)\.(\d+)/.exec(userAgent);
  if (gdal && Number(gdal[1]) * 100 + Number(gdal[2]) < GDAL_SHUFFLE_VERSION) return "compat";
  return "stored";
}
