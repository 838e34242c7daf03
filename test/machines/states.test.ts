// src/states.ts against supervisor 4.2.5's states.py and options.signame().
import * as assert from 'uvu/assert';
import {
  EventListenerStates, getEventListenerStateDescription, getProcessStateDescription, getSupervisorStateDescription,
  isRunning, isSignallable, isStopped, ProcessStates, RUNNING_STATES, signame, SIGNALLABLE_STATES, STOPPED_STATES, SupervisorStates,
} from '../../src/states.ts';
import { decodeExit } from '../../machines/process-log.ts';
import { suite } from '../harness.ts';

const S = suite('states');

S('process, supervisor and listener codes are supervisor\'s', () => {
  assert.equal(ProcessStates, { STOPPED: 0, STARTING: 10, RUNNING: 20, BACKOFF: 30, STOPPING: 40, EXITED: 100, FATAL: 200, UNKNOWN: 1000 });
  assert.equal(SupervisorStates, { FATAL: 2, RUNNING: 1, RESTARTING: 0, SHUTDOWN: -1 });
  assert.equal(EventListenerStates, { READY: 10, BUSY: 20, ACKNOWLEDGED: 30, UNKNOWN: 40 });
});

S('state groups as states.py defines them', () => {
  assert.equal(STOPPED_STATES, [0, 100, 200, 1000]);
  assert.equal(RUNNING_STATES, [20, 30, 10]);
  assert.equal(SIGNALLABLE_STATES, [20, 10, 40]);
  assert.ok(isStopped('UNKNOWN') && isRunning('BACKOFF') && isSignallable('STOPPING'));
  assert.not.ok(isStopped('STOPPING') || isRunning('STOPPING') || isSignallable('BACKOFF'));
});

S('descriptions by code, undefined for an unknown code', () => {
  assert.is(getProcessStateDescription(200), 'FATAL');
  assert.is(getSupervisorStateDescription(-1), 'SHUTDOWN');
  assert.is(getEventListenerStateDescription(30), 'ACKNOWLEDGED');
  assert.is(getProcessStateDescription(7), undefined);
});

S('signame: Linux names as Python picks them, "signal N" otherwise', () => {
  assert.is(signame(15), 'SIGTERM');
  assert.is(signame(6), 'SIGABRT');
  assert.is(signame(17), 'SIGCHLD');
  assert.is(signame(29), 'SIGPOLL');
  assert.is(signame(35), 'signal 35');
});

S('decode_wait_status texts', () => {
  assert.equal(decodeExit({ code: 3, signal: null }), { status: 3, text: 'exit status 3' });
  assert.equal(decodeExit({ code: null, signal: 9 }), { status: -1, text: 'terminated by SIGKILL' });
  assert.equal(decodeExit({ code: null, signal: 11, core: true }), { status: -1, text: 'terminated by SIGSEGV (core dumped)' });
});

S.run();
