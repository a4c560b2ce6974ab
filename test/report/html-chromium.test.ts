// The audit report as an auditor sees it: rendered by a real headless Chromium from a file:// URL, with
// host resolution disabled, screenshotted, and the PNG checked for content (text, the red bars of the
// limits over 100%). Skips when Chromium is not installed (CI installs it: see .ci/run).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { htmlFormatter } from '../../src/report/html.js';
import { MERGE, gatedSample, tempDir, waiverYaml, write } from '../gate/helpers.js';
import { decodePng } from './png.js';

const CHROMIUM = '/usr/bin/chromium';
const missing = !existsSync(CHROMIUM);
if (missing) console.warn(`skipping the Chromium rendering test: ${CHROMIUM} is absent (apt-get install -y --no-install-recommends chromium)`);

describe('html audit report in Chromium', () => {
  it.skipIf(missing)('renders the sample run to a screenshot that is not blank', async () => {
    const dir = tempDir('aepg-chromium-');
    const w = write(dir, 'w.yaml', waiverYaml([{ rule: MERGE, target: 'prod', reason: 'migration leftover', owner: 'ops' }]));
    const html = path.join(dir, 'audit.html');
    writeFileSync(html, htmlFormatter.render(await gatedSample({ waivers: w })));
    const png = path.join(dir, 'shot.png');
    const r = spawnSync(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--host-resolver-rules=MAP * ~NOTFOUND',
        `--user-data-dir=${path.join(dir, 'profile')}`,
        '--window-size=1280,1600',
        '--hide-scrollbars',
        `--screenshot=${png}`,
        pathToFileURL(html).href,
      ],
      { encoding: 'utf8', timeout: 90_000 },
    );
    expect(existsSync(png), `chromium wrote no screenshot (exit ${r.status}): ${r.stderr}`).toBe(true);
    const img = decodePng(readFileSync(png));
    expect([img.width, img.height]).toEqual([1280, 1600]);
    let ink = 0;
    let red = 0;
    for (let i = 0; i < img.width * img.height; i++) {
      const [R, G, B] = [img.rgba[i * 4]!, img.rgba[i * 4 + 1]!, img.rgba[i * 4 + 2]!];
      if (R < 240 || G < 240 || B < 240) ink++;
      if (R > 170 && G < 80 && B < 90) red++;
    }
    // Text, tables and cards cover a good share of the page; the over-limit bars and the verdict are red.
    expect(ink / (img.width * img.height)).toBeGreaterThan(0.03);
    expect(red).toBeGreaterThan(500);
  }, 120_000);
});
