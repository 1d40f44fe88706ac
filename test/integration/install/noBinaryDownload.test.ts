// sqlite3's install step (`prebuild-install -r napi || node-gyp rebuild`) must compile from
// source and never try to download a prebuilt binary. That used to rest on a
// `build-from-source` line in .npmrc, which npm 11 warns it will stop passing on to install
// scripts; prebuild-install reads its own rc file (.prebuild-installrc, found from the
// package's folder upwards), which holds whatever npm does. This runs prebuild-install as
// npm would for sqlite3 (from a folder under node_modules, with sqlite3's package.json), with
// every npm_config_* variable removed, and checks it declines to download.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
// A stand-in for node_modules/sqlite3: should a download ever happen, it lands here, not in
// the installed sqlite3.
const sqlite3Pkg = join(root, 'node_modules', 'sqlite3', 'package.json');
// The prebuild-install that sqlite3's install script runs, wherever npm placed it.
const prebuildInstall = createRequire(sqlite3Pkg).resolve('prebuild-install/bin.js');
const probe = mkdtempSync(join(root, 'node_modules', '.omm-install-probe-'));
afterAll(() => rmSync(probe, { recursive: true, force: true }));

describe('install: sqlite3 is built from source', () => {
  it('prebuild-install declines to download, whatever npm passes on', () => {
    copyFileSync(sqlite3Pkg, join(probe, 'package.json'));
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_config_')));
    const r = spawnSync(process.execPath, [prebuildInstall, '-r', 'napi', '--verbose'], {
      cwd: probe, env, encoding: 'utf8', timeout: 20_000,
    });
    expect(r.error).toBeUndefined();
    const out = `${r.stdout}${r.stderr}`;
    expect(out).toContain('--build-from-source specified, not attempting download');
    expect(out).not.toMatch(/http request|looking for cached prebuild/);
  });
});
