// Process control through both clients against both daemons, over the unix socket and
// over TCP with auth: status (names, groups, exit codes 3 and 4), start/stop/restart
// (names, groups, all, every error), signal, pid, tail, clear, avail, version, help.
import * as assert from 'uvu/assert';
import { serverSections, SLEEP, TALKER } from './config.ts';
import { COMMANDS } from '../../src/ctl/commands/index.ts';
import { alternate, fourWay, reference, script, uncovered, type Combo, type Step } from './harness.ts';

// Distinct priorities: status and avail list by name, but the start and stop order
// follows priority (and numprocs share one).
const programs = `
[program:cat]
priority=100
command=cat
startsecs=0

[program:talker]
priority=200
command=${TALKER}
startsecs=0

[program:sleeper]
priority=300
command=${SLEEP}
startsecs=0

[group:grp]
programs=talker,sleeper

[program:multi]
priority=400
command=${SLEEP}
numprocs=2
process_name=%(program_name)s_%(process_num)d
startsecs=0

[program:failer]
priority=500
; slow enough that supervisord's start answers it from its deferred check, as statevisord does
command=/bin/sh -c "sleep 0.3; exit 1"
autostart=false
startsecs=1
startretries=0

[program:missing]
priority=600
command=/nonexistent/program
autostart=false

[program:once]
priority=700
; exits at once the first time (EXITED in the first status); lives on when started again,
; since supervisord's start reap()s right after the spawn and answers ABNORMAL_TERMINATION
; for a child that is already gone, which on a fast machine /bin/true may be
command=/bin/sh -c "if [ -e %(here)s/once.ran ]; then exec ${SLEEP}; fi; touch %(here)s/once.ran"
startsecs=0
autorestart=false

[program:a_program_with_a_name_longer_than_thirty]
priority=800
command=${SLEEP}
startsecs=0
autostart=false
`;

const config = (c: Combo, port: number) => `${serverSections(c, port)}${programs}`;

// One client run per line, over alternating transports (unix, tcp, unix, ...): every
// command runs over both (checked), and each line's exit status is compared.
const LINES = [
  'status',
  'status nope',
  'status cat',
  'status grp:* multi: nogroup:*',
  'pid cat failer nope',
  'pid failer',
  'start failer',
  'start missing nope nogroup:*',
  'stop nope failer nogroup:',
  'stop grp:*',
  'start grp:* cat',
  'restart cat multi:*',
  'restart grp:talker',
  'signal USR1 grp:talker',
  'signal HUP grp:*',
  'signal BOGUS cat nope failer',
  'tail grp:talker',
  'tail -x grp:talker',
  'clear grp:talker nope',
  'clear all',
  'avail',
  'version',
  'version x',
  'avail x',
  'bogus',
  'bogus with args',
  'stop all',
  'start all',
  'status',
];

// What needs no exit status of its own goes through one shell session per transport
// (supervisorctl's shell runs `status` first and prints its prompt before each line).
const SESSION = [
  'pid', 'pid all', 'status all',
  'tail grp:talker stderr', 'tail -5 grp:talker', 'tail nope', 'tail grp:talker bogus', 'tail', 'tail a b c d',
  'clear', 'start', 'stop', 'restart', 'signal CONT', 'signal CONT all',
  'help', 'help help', 'help nope', '?', ...Object.keys(COMMANDS).map((c) => `help ${c}`),
  '', 'quit',
].join('\n');
const STEPS: Step[] = [...alternate(LINES), { transport: 'unix', line: '', stdin: SESSION }, { transport: 'tcp', line: '-i', stdin: 'help start\nexit\n' }];

if (uncovered(STEPS).length) throw new Error(`commands not run over both transports: ${uncovered(STEPS)}`);

fourWay('process control', config, (c, record) => script(c, STEPS, record), (transcripts) => {
  // What the scenario exercised, on the reference.
  assert.is(reference(transcripts, '[unix] status').code, 3);
  assert.is(reference(transcripts, '[tcp] status nope').code, 4);
  assert.is(reference(transcripts, '[unix] status cat').code, 0);
  assert.match(reference(transcripts, '[unix] start failer').stdout, 'failer: ERROR (spawn error)');
  assert.is(reference(transcripts, '[tcp] start missing nope nogroup:*').code, 2);
  assert.match(reference(transcripts, '[unix] tail grp:talker').stdout, 'hello out');
  assert.match(reference(transcripts, `[unix]  <<< ${JSON.stringify(SESSION)}`).stdout, 'default commands (type help <topic>):');
});
