/** Lookup and traversal of a dataset's group tree by slash-separated path. */
import type { GroupNode, Node } from "./types.ts";

/** The node at `path` ("" is the root), or undefined. */
export function findNode(root: GroupNode, path: string): Node | undefined {
  let node: Node = root;
  if (path === "") return node;
  for (const part of path.split("/")) {
    if (node.kind !== "group") return undefined;
    const next: Node | undefined = node.children.get(part);
    if (!next) return undefined;
    node = next;
  }
  return node;
}

/** Every node below `root` (root first, as ""), depth first in source order. */
export function* walk(root: GroupNode, prefix = ""): Generator<[string, Node]> {
  if (prefix === "") yield ["", root];
  for (const [name, child] of root.children) {
    const path = prefix ? `${prefix}/${name}` : name;
    yield [path, child];
    if (child.kind === "group") yield* walk(child, path);
  }
}
