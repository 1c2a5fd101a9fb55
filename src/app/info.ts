/** `ncdump -h`-style text for a dataset, plus the Zarr chunking it is served with. */
import type { AttrValue, Dataset, DataType, GroupNode } from "../model/types.ts";
import { nonFiniteName, strictJson } from "../zarr/json.ts";

/** CDL-ish name of a model type. */
export function typeName(t: DataType): string {
  switch (t.kind) {
    case "bool":
      return "bool";
    case "int":
      return ["byte", "short", "", "int", "", "", "", "int64"][t.size - 1];
    case "uint":
      return ["ubyte", "ushort", "", "uint", "", "", "", "uint64"][t.size - 1];
    case "float":
      return t.size === 8 ? "double" : t.size === 4 ? "float" : "half";
    case "complex":
      return `complex${t.size * 8}`;
    case "bytes":
      return t.size === 1 ? "char" : `char[${t.size}]`;
    case "string":
      return "string";
    case "struct":
      return `compound {${
        t.fields.map((f) => `${typeName(f.type)} ${f.name}${f.shape ? `(${f.shape})` : ""}`)
          .join("; ")
      }}`;
  }
}

function cdlValue(v: AttrValue): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : nonFiniteName(v);
  if (typeof v === "bigint") return `${v}LL`;
  if (Array.isArray(v)) return v.map(cdlValue).join(", ");
  return strictJson(v, 0);
}

function describeGroup(g: GroupNode, indent: string, lines: string[]): void {
  const dims = new Map<string, number>();
  for (const node of g.children.values()) {
    if (node.kind === "array") node.dims.forEach((d, i) => dims.set(d, node.shape[i]));
  }
  if (dims.size) {
    lines.push(`${indent}dimensions:`);
    for (const [d, n] of dims) lines.push(`${indent}\t${d} = ${n} ;`);
  }
  const arrays = [...g.children].filter(([, n]) => n.kind === "array");
  if (arrays.length) lines.push(`${indent}variables:`);
  for (const [name, node] of arrays) {
    if (node.kind !== "array") continue;
    const dimText = node.dims.length ? `(${node.dims.join(", ")})` : "";
    lines.push(
      `${indent}\t${
        typeName(node.dtype)
      } ${name}${dimText} ;  // zarr chunks (${node.chunks}) shape (${node.shape})`,
    );
    for (const [k, v] of Object.entries(node.attrs)) {
      lines.push(`${indent}\t\t${name}:${k} = ${cdlValue(v)} ;`);
    }
    if (node.fillValue !== null) {
      lines.push(
        `${indent}\t\t${name}:_FillValue = ${String(node.fillValue)} ;  // zarr fill_value`,
      );
    }
  }
  const attrs = Object.entries(g.attrs);
  if (attrs.length) {
    lines.push("", `${indent}// group attributes:`);
    for (const [k, v] of attrs) lines.push(`${indent}\t\t:${k} = ${cdlValue(v)} ;`);
  }
  for (const [name, node] of g.children) {
    if (node.kind !== "group") continue;
    lines.push("", `${indent}group: ${name} {`);
    describeGroup(node, `${indent}  `, lines);
    lines.push(`${indent}  } // group ${name}`);
  }
}

/** The structure of `dataset` as text. */
export function describe(dataset: Dataset): string {
  const lines = [`zarr store ${dataset.name} {  // from ${dataset.source}`];
  describeGroup(dataset.root, "", lines);
  lines.push("}");
  for (const w of dataset.warnings) lines.push(`warning: ${w}`);
  return lines.join("\n");
}
