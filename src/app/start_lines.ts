/** The lines the server prints once it listens: each dataset's URL and how to open it. */
import type { Dataset } from "../model/types.ts";
import { hasPyramid } from "../pyramid/pyramid.ts";
import type { LiveDataset } from "../sources/live.ts";

/** Whether `d` has a pyramid (a live file is opened to see; one that fails has none). */
export async function pyramidOfDataset(d: Dataset | LiveDataset): Promise<boolean> {
  if (!("kind" in d && d.kind === "live")) return hasPyramid(d as Dataset);
  try {
    const lease = await d.acquire();
    try {
      return hasPyramid(lease.dataset);
    } finally {
      lease.release();
    }
  } catch {
    return false;
  }
}

/** The start-up lines of one dataset served at `base`. */
export function datasetLines(
  base: string,
  d: Dataset | LiveDataset,
  kind: string | undefined,
  pyramid: boolean,
): string[] {
  const path = `/${d.name.split("/").map(encodeURIComponent).join("/")}`;
  return [
    `  ${d.name}${kind ? ` [${kind}]` : ""}: ${base}${path}   (${d.source})`,
    `    xarray.open_zarr("${base}${path}")`,
    // zarr-python 2 reads .zgroup unconsolidated, and Python clients get v3 at /NAME/
    `    v2 only (zarr-python 2 unconsolidated, zarr_format=2): ${base}/v2${path}`,
    ...(pyramid ? [`    pyramid (every zoom level, multiscales): ${base}/pyramid${path}`] : []),
  ];
}
