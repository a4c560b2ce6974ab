// The output formats by name, for --format.
import type { Formatter } from './format.js';
import { jsonFormatter } from './json.js';
import { sarifFormatter } from './sarif.js';
import { stylishFormatter } from './stylish.js';

export const FORMATTERS: Record<string, Formatter> = {
  stylish: stylishFormatter,
  json: jsonFormatter,
  sarif: sarifFormatter,
};

export const FORMAT_NAMES = Object.keys(FORMATTERS);
