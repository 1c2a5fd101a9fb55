/** Each store's pyramid store, made once per store (that is per file version and view). */
import { pyramidOf } from "../pyramid/pyramid.ts";
import { createStore, type Store } from "../zarr/store.ts";

/** Where every dataset's pyramid is served: `/pyramid/NAME/`. */
export const PYRAMID_PREFIX = "/pyramid/";

const made = new WeakMap<Store, Store | null>();

/** The pyramid of `store`'s dataset as a store of its own, or null when it has no 2-D grid. */
export function pyramidStore(store: Store): Store | null {
  if (!made.has(store)) {
    const pyramid = pyramidOf(store.dataset);
    made.set(store, pyramid && createStore(pyramid, store.options));
  }
  return made.get(store)!;
}

/**
 * The [rows, columns] of variable `path` at each pyramid level, when its last two dimensions are
 * the ones the pyramid coarsens (what a zooming quick look needs); else null.
 */
export function zoomLevels(store: Store, path: string): [number, number][] | null {
  const pyramid = pyramidStore(store)?.dataset;
  if (!pyramid) return null;
  const levels: [number, number][] = [];
  for (const [k, group] of pyramid.root.children) {
    const node = group.kind === "group" ? group.children.get(path) : undefined;
    if (node?.kind !== "array" || node.shape.length < 2) return null;
    levels[Number(k)] = [node.shape.at(-2)!, node.shape.at(-1)!];
  }
  const coarsened = levels.length > 1 &&
    levels.every(([h, w], k) =>
      k === 0 || (h === Math.ceil(levels[k - 1][0] / 2) && w === Math.ceil(levels[k - 1][1] / 2))
    );
  return coarsened ? levels : null;
}
