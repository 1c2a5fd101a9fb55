/**
 * Who may read what: bearer tokens for every dataset (`--token-file`) and per dataset (a
 * config's `tokens`). Tokens are compared in constant time, as SHA-256 digests, against every
 * token so that neither a token's length nor which one matched shows in the timing.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { HttpError } from "./http_error.ts";

/** The tokens that guard datasets. */
export interface Access {
  /** Tokens that read every dataset. */
  readonly everywhere: readonly string[];
  /** A dataset's own tokens, by its name (a name also covers the datasets under it: "team/"). */
  readonly own: ReadonlyMap<string, readonly string[]>;
}

/** Open to everyone: no token anywhere. */
export const OPEN: Access = { everywhere: [], own: new Map() };

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Parses a token file: one token per line; blank lines and `#` comments are skipped. */
export function parseTokens(text: string, source: string): string[] {
  const tokens = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  for (const t of tokens) {
    if (/\s/.test(t)) throw new Error(`${source}: a token may not contain spaces`);
  }
  if (tokens.length === 0) throw new Error(`${source}: no tokens in it`);
  return tokens;
}

/** The bearer token of a request, or null. */
export function bearerToken(req: Request): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "");
  return m ? m[1] : null;
}

function matchesAny(token: string, tokens: readonly string[]): boolean {
  const d = digest(token);
  let ok = false;
  for (const t of tokens) ok = timingSafeEqual(d, digest(t)) || ok; // no early exit
  return ok;
}

function ownTokens(access: Access, name: string): readonly string[] | undefined {
  for (let end = name.length; end > 0; end = name.lastIndexOf("/", end - 1)) {
    const own = access.own.get(name.slice(0, end));
    if (own) return own;
  }
  return undefined;
}

/** Whether dataset `name` needs a token at all. */
export function isGuarded(access: Access, name: string): boolean {
  return access.everywhere.length > 0 || ownTokens(access, name) !== undefined;
}

/** Whether `token` (null: none sent) may read dataset `name`. */
export function mayRead(access: Access, name: string, token: string | null): boolean {
  if (!isGuarded(access, name)) return true;
  if (token === null) return false;
  const own = ownTokens(access, name) ?? [];
  return matchesAny(token, own) || matchesAny(token, access.everywhere);
}

/** The 401 for a request without a token, or with one that does not open this dataset. */
export function unauthorized(sentToken: boolean): HttpError {
  return new HttpError(
    401,
    sentToken ? "the token does not open this dataset" : "a bearer token is needed",
    {
      "www-authenticate": sentToken
        ? 'Bearer realm="zarrflask", error="invalid_token"'
        : 'Bearer realm="zarrflask"',
    },
  );
}
