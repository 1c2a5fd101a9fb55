/** The CORS headers: what lets a browser on any origin read the stores. */

/** Headers every response carries so browsers on any origin can read the store. */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "ETag, Content-Length, Content-Range, Accept-Ranges",
};
