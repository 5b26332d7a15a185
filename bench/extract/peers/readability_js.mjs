// readability_js.mjs - Mozilla Readability.js on linkedom's DOM, run over
// every page of a directory in one process.
//   node readability_js.mjs HTML_DIR OUT.json [ROUNDS]
// Pages are read into memory first; extraction is timed in process CPU
// time; prints "pages N rounds R cpu_s S pages_per_s P". The modules come
// from bench/extract/node_modules (install.sh).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../package.json', import.meta.url));
const { Readability } = require('@mozilla/readability');
const { parseHTML } = require('linkedom');

const [dir, outPath, roundsArg] = process.argv.slice(2);
const rounds = Math.max(1, parseInt(roundsArg || '1', 10));
const pages = readdirSync(dir).filter((f) => f.endsWith('.html.gz')).sort()
  .map((f) => [f.slice(0, -'.html.gz'.length), gunzipSync(readFileSync(join(dir, f))).toString('utf8')]);
const out = {};
const t0 = process.cpuUsage();
for (let r = 0; r < rounds; r++) {
  for (const [id, html] of pages) {
    let text = '';
    try {
      const { document } = parseHTML(html);
      const article = new Readability(document).parse();
      text = article && article.textContent ? article.textContent : '';
    } catch (e) {
      if (r === 0) process.stderr.write(`${id}: ${e}\n`);
    }
    out[id] = { articleBody: text };
  }
}
const used = process.cpuUsage(t0);
const cpu = (used.user + used.system) / 1e6;
writeFileSync(outPath, JSON.stringify(out));
console.log(`pages ${pages.length} rounds ${rounds} cpu_s ${cpu.toFixed(3)} pages_per_s ${(pages.length * rounds / cpu).toFixed(1)}`);
