import * as assert from 'uvu/assert';
import { decodeWaitStatus, describeExit } from '../../src/runtime/exit-status.ts';
import { osErrorText, signame } from '../../src/runtime/signal.ts';
import { suite } from '../harness.ts';

const test = suite('runtime/exit-status');

test('decode_wait_status on raw statuses, as Python 3.11 + supervisor 4.2.5 print them', () => {
  const cases: Array<[number, number, string]> = [
    [0x0, 0, 'exit status 0'],
    [0x100, 1, 'exit status 1'],
    [0xff00, 255, 'exit status 255'],
    [0xf, -1, 'terminated by SIGTERM'],
    [0x9, -1, 'terminated by SIGKILL'],
    [0x8b, -1, 'terminated by SIGSEGV (core dumped)'],
    [0x86, -1, 'terminated by SIGABRT (core dumped)'],
    [0x28, -1, 'terminated by signal 40'],
    [0x137f, -1, 'unknown termination cause 0x137f'],
    [0xffff, -1, 'unknown termination cause 0xffff'],
    [0x1d, -1, 'terminated by SIGPOLL'],
    [0x22, -1, 'terminated by SIGRTMIN'],
    [0x40, -1, 'terminated by SIGRTMAX'],
  ];
  for (const [sts, exitstatus, message] of cases) assert.equal(decodeWaitStatus(sts), { exitstatus, message }, `0x${sts.toString(16)}`);
});

test('the same from Node\'s (code, signal), with Python\'s names for Node\'s aliases', () => {
  assert.equal(describeExit(0, null), { exitstatus: 0, message: 'exit status 0' });
  assert.equal(describeExit(3, null), { exitstatus: 3, message: 'exit status 3' });
  assert.equal(describeExit(null, 'SIGTERM'), { exitstatus: -1, message: 'terminated by SIGTERM' });
  assert.equal(describeExit(null, 'SIGIO'), { exitstatus: -1, message: 'terminated by SIGPOLL' });
  assert.equal(describeExit(null, 'SIGIOT'), { exitstatus: -1, message: 'terminated by SIGABRT' });
  assert.equal(describeExit(null, 'SIGSEGV', true), { exitstatus: -1, message: 'terminated by SIGSEGV (core dumped)' });
});

test('signame as supervisor has it', () => {
  assert.is(signame(15), 'SIGTERM');
  assert.is(signame(17), 'SIGCHLD');
  assert.is(signame(6), 'SIGABRT');
  assert.is(signame(1), 'SIGHUP');
  assert.is(signame(0), 'signal 0');
  assert.is(signame(33), 'signal 33');
});

test('OSError text for kill failures', () => {
  assert.is(osErrorText('ESRCH'), '[Errno 3] No such process');
  assert.is(osErrorText('EPERM'), '[Errno 1] Operation not permitted');
});

test.run();
