#!/usr/bin/env node
// The registry this project installs from carries only the platform packages that run here
// (linux x64). `npm install` then leaves the other platforms' optional binaries out of
// package-lock.json and `npm ci` refuses the lock ("Missing: X from lock file"). This adds an
// inert entry for every such optional dependency, marked with the os/cpu its name says, so that
// `npm ci` validates the lock and skips them as not for this platform.
// Run after every `npm install`: `node scripts/fix-lockfile.js`.
const fs = require('node:fs');
const path = require('node:path');

const lockPath = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const pkgs = lock.packages;

const OS = ['darwin', 'win32', 'linux', 'android', 'freebsd', 'openbsd', 'netbsd', 'sunos', 'aix', 'openharmony'];
const CPU = { x64: 'x64', amd64: 'x64', arm64: 'arm64', aarch64: 'arm64', ia32: 'ia32', arm: 'arm', ppc64: 'ppc64', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64', mips64el: 'mips64el', wasm32: 'wasm32' };

function guess(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.map((p) => (p === 'windows' || p === 'win' ? 'win32' : p)).find((p) => OS.includes(p));
  const cpuKey = parts.find((p) => CPU[p]);
  return { os: os ? [os] : undefined, cpu: cpuKey ? [CPU[cpuKey]] : undefined };
}

function resolves(fromKey, dep) {
  let dir = fromKey;
  for (;;) {
    const candidate = (dir ? dir + '/' : '') + 'node_modules/' + dep;
    if (pkgs[candidate]) return true;
    const idx = dir.lastIndexOf('/node_modules/');
    if (dir === '') return false;
    dir = idx === -1 ? '' : dir.slice(0, idx);
  }
}

let added = 0;
for (const [key, entry] of Object.entries(pkgs)) {
  for (const [dep, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    if (resolves(key, dep)) continue;
    const target = 'node_modules/' + dep;
    if (pkgs[target]) continue;
    const { os, cpu } = guess(dep);
    if (!os && !cpu) continue; // not a platform binary: leave it to npm
    pkgs[target] = { version: spec.replace(/^[\^~=]/, ''), optional: true, ...(os && { os }), ...(cpu && { cpu }) };
    added++;
  }
}
fs.writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\n');
console.log(`fix-lockfile: added ${added} inert platform entries`);
