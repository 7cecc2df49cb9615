/**
 * The API bench starts its desk as `npm start` does (bench/deskLaunch.ts reads the start script):
 * the script must keep the form it reads, and the memory it prints is what operators' desks hold.
 */
import fs from 'node:fs';
import path from 'node:path';
import { deskLaunch, deskLaunchOf } from '../bench/deskLaunch';

describe('the desk launch the API bench reads from package.json', () => {
  it('reads the environment, node flags and entry of the start script', () => {
    expect(deskLaunchOf('MALLOC_ARENA_MAX=2 A_B=x=y exec node --v8-pool-size=1 --require tsx/cjs src/main.ts')).toEqual({
      env: { MALLOC_ARENA_MAX: '2', A_B: 'x=y' },
      nodeArgs: ['--v8-pool-size=1', '--require', 'tsx/cjs'],
      entry: 'src/main.ts',
    });
    expect(deskLaunchOf('node src/main.ts')).toEqual({ env: {}, nodeArgs: [], entry: 'src/main.ts' });
    expect(() => deskLaunchOf('tsx src/main.ts')).toThrow(/does not run node/);
    expect(() => deskLaunchOf('exec node --inspect')).toThrow(/names no entry/);
  });

  it('is the start script of package.json, running src/main.ts through the CommonJS hook', () => {
    const launch = deskLaunch();
    expect(launch.entry).toBe('src/main.ts');
    expect(launch.nodeArgs.join(' ')).toContain('--require tsx/cjs');
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { scripts: { start: string } };
    // exec: signals reach the desk itself, not a shell in between
    expect(pkg.scripts.start).toMatch(/(^|\s)exec node\s/);
  });
});
