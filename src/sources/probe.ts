/** What a file says about one of its dimensions, read without touching any data. */
export interface DimensionProbe {
  /** The dimension's length. */
  length: number;
  /** Whether it is the unlimited (record) dimension. */
  unlimited: boolean;
  /** The `units` of its coordinate variable, if any. */
  units?: string;
}
