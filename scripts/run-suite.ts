// Runs one uvu test file in this process, then insists that the file let go of
// everything it started: a file still holding handles after its last test fails.
import { basename } from 'node:path';
import { run } from 'uvu/run';

const file = process.argv[2];
const grace = Number(process.env.STATEVISOR_EXIT_GRACE_MS ?? 3000);
if (!file) {
  console.error('usage: run-suite FILE');
  process.exit(2);
}
await run([{ name: basename(file), file }], {});
const code = process.exitCode ?? 0;
setTimeout(() => {
  const open = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap' && r !== 'Timeout');
  console.error(`\n  OPEN HANDLES: ${file} did not exit ${grace} ms after its last test (${open.join(', ') || 'timers'})`);
  console.log('  Leaked:    1');
  process.exit(1);
}, grace).unref();
process.exitCode = code;
