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
