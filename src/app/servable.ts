/** What a server publishes: fixed or live datasets (with options), and live directories. */
import type { Dataset } from "../model/types.ts";
import type { LiveDataset } from "../sources/live.ts";
import type { LiveCollection } from "../sources/directory.ts";
import type { Publication } from "./config.ts";

/** What `serve` publishes: fixed or live datasets (with options), and live directories. */
export type Servable = Dataset | LiveDataset | Publication | LiveCollection;
