/**
 * Node names a URL cannot carry as Zarr keys (`#`, `?`, `%`, whitespace,
 * control characters, a leading `.`, a Zarr document name) are published
 * under safe names, unique in their group, with the original kept in an attribute.
 */
import type { Dataset, GroupNode, Node } from "../model/types.ts";

/** The attribute that keeps a renamed node's original name. */
export const ORIGINAL_NAME = "original_name";

const UNSAFE = /[#?%\s\p{Cc}\p{Cf}\\]/gu;
const ZARR_KEYS = new Set([".zarray", ".zgroup", ".zattrs", ".zmetadata", "zarr.json"]);

/** Whether `name` can be a path segment of a Zarr key in a URL as it is. */
export function isSafeName(name: string): boolean {
  UNSAFE.lastIndex = 0;
  return name !== "" && !UNSAFE.test(name) && !name.startsWith(".") && !ZARR_KEYS.has(name) &&
    name !== "..";
}

function safeName(name: string, taken: Set<string>): string {
  let base = name.replace(UNSAFE, "_").replace(/^\./, "_") || "_";
  if (ZARR_KEYS.has(base)) base = `${base}_`;
  let out = base;
  for (let k = 2; taken.has(out); k++) out = `${base}_${k}`;
  return out;
}

function renameTree(group: GroupNode, path: string, warnings: string[]): GroupNode {
  let changed = false;
  const taken = new Set([...group.children.keys()].filter(isSafeName));
  const children = new Map<string, Node>();
  for (const [name, node] of group.children) {
    const full = `${path}/${name}`;
    let child: Node = node.kind === "group" ? renameTree(node, full, warnings) : node;
    let key = name;
    if (!isSafeName(name)) {
      key = safeName(name, taken);
      taken.add(key);
      if (ORIGINAL_NAME in child.attrs) {
        warnings.push(
          `${full}: published as "${key}" (its "${ORIGINAL_NAME}" attribute is its own)`,
        );
      } else {
        child = { ...child, attrs: { ...child.attrs, [ORIGINAL_NAME]: name } } as Node;
        warnings.push(`${full}: published as "${key}": the name cannot be a URL key`);
      }
    }
    changed ||= child !== node || key !== name;
    children.set(key, child);
  }
  return changed ? { ...group, children } : group;
}

/** `dataset` with every unsafe node name replaced, and the renames listed in its warnings. */
export function withSafeNames(dataset: Dataset): Dataset {
  const warnings: string[] = [];
  const root = renameTree(dataset.root, "", warnings);
  if (root === dataset.root) return dataset;
  return { ...dataset, root, warnings: [...dataset.warnings, ...warnings] };
}
