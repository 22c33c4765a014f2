/**
 * Import resolver for the layer rules in eslint.config.js (eslint-plugin-boundaries). The sources
 * import TypeScript files by their emitted name ('./x.js' for x.ts), which the stock Node resolver
 * cannot find; an unresolved relative import would fall outside every layer and pass unchecked.
 * Only relative imports are resolved: bare package names stay unresolved and therefore count as
 * external packages, whose use the no-restricted-imports rules govern.
 */
'use strict';
const { existsSync, statSync } = require('node:fs');
const { dirname, resolve } = require('node:path');

const isFile = (path) => existsSync(path) && statSync(path).isFile();

function candidates(path) {
  const list = [path];
  if (/\.[cm]?js$/.test(path)) list.push(path.replace(/\.([cm]?)js$/, '.$1ts'));
  list.push(`${path}.ts`, resolve(path, 'index.ts'));
  return list;
}

module.exports = {
  interfaceVersion: 2,
  resolve(source, file) {
    if (!source.startsWith('.') && !source.startsWith('/')) return { found: false };
    const path = candidates(resolve(dirname(file), source)).find(isFile);
    return path === undefined ? { found: false } : { found: true, path };
  },
};
