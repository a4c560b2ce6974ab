// The output formats by name, for --format. `sarif` is the audit copy (waived and fixed results kept,
// marked); `sarif-upload` is the copy for GitHub code scanning, which ignores those marks.
import type { Formatter } from './format.js';
import { htmlFormatter } from './html.js';
import { jsonFormatter } from './json.js';
import { junitFormatter } from './junit.js';
import { markdownFormatter } from './markdown.js';
import { sarifFormatter, sarifUploadFormatter } from './sarif.js';
import { stylishFormatter } from './stylish.js';

export const FORMATTERS: Record<string, Formatter> = {
  stylish: stylishFormatter,
  json: jsonFormatter,
  sarif: sarifFormatter,
  'sarif-upload': sarifUploadFormatter,
  junit: junitFormatter,
  markdown: markdownFormatter,
  html: htmlFormatter,
};

export const FORMAT_NAMES = Object.keys(FORMATTERS);
