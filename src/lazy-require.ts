// CommonJS dependencies loaded on first use. A `check` of an all-JSON export never needs the YAML parser, and
// one without Campaign XML never needs the XML parser; importing them up front costs every run ~10-20 ms each.
// require() is synchronous, so call sites stay plain function calls (both packages ship CommonJS for Node).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
