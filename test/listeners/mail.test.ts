// crashmail and fatalmailbatch under a real daemon, mailing a real SMTP server that the
// test runs on 127.0.0.1.
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { body, DAEMONS, header, listenerSection, PROGRAMS, Run, SmtpSink, until } from './helpers.ts';

const test = suite('listeners/mail', {}, 60_000);

for (const daemon of DAEMONS) {
  test(`${daemon}: crashmail mails an unexpected exit, and only that`, async () => {
    const smtp = await new SmtpSink().start();
    // `fine` exits with an expected code before `crash` exits with an unexpected one: the
    // listener handles events in order, so one mail, about `crash`, proves `fine` was skipped.
    const run = new Run(daemon, `
[program:fine]
command=${PROGRAMS}exit-after.sh 0 1500
startsecs=1
autorestart=false

[program:crash]
command=${PROGRAMS}exit-after.sh 3 3000
startsecs=1
autorestart=false

${listenerSection('crashmail', `-a -o [prod] -m ops@example.com --smtpHost ${smtp.host} --fromEmail sup@example.com`, 'PROCESS_STATE_EXITED')}`);
    try {
      const [msg] = await until('mail', () => smtp.messages.length > 0 && smtp.messages, 30_000, run.detail('crashmail.err'));
      const [pid] = run.spawns('crash');
      assert.equal(msg.to, ['ops@example.com']);
      assert.is(msg.from, 'sup@example.com');
      assert.match(header(msg.raw, 'Subject')!, /^\[prod\]: crash crashed at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}$/);
      assert.is(body(msg.raw), `Process crash in group crash exited unexpectedly (pid ${pid}) from state RUNNING`);
      await run.side.waitFor(/^WARN exited: crash \(exit status 3; not expected\)$/);
      assert.match(run.file('crashmail.err'), /unexpected exit, mailing\nMailed:/);
      await run.stop();
      assert.is(smtp.messages.length, 1, 'the expected exit was not mailed');
      assert.is(run.side.ending, 'exited 0 after SIGTERM');
    } finally {
      await run.stop();
      await smtp.close();
    }
  });

  test(`${daemon}: fatalmailbatch sends the FATALs of an interval in one mail`, async () => {
    const smtp = await new SmtpSink().start();
    // Both programs go FATAL within a second or two of start-up; the batch goes out on the
    // second TICK_5 (interval 10 s), so both are in it.
    const run = new Run(daemon, `
[program:bad1]
command=${PROGRAMS}exit-after.sh 1 0
startsecs=5
startretries=0

[program:bad2]
command=${PROGRAMS}exit-after.sh 1 0
startsecs=5
startretries=0

${listenerSection('fatalmailbatch', `--toEmail=a@example.com,b@example.com --fromEmail=sup@example.com --subject=FATAL --smtpHost=${smtp.host} --tickEvent=TICK_5 --interval=0.1667`, 'PROCESS_STATE,TICK_5')}`);
    try {
      const [msg] = await until('mail', () => smtp.messages.length > 0 && smtp.messages, 40_000, run.detail('fatalmailbatch.err'));
      assert.equal(msg.to, ['a@example.com', 'b@example.com']);
      assert.is(header(msg.raw, 'Subject'), 'FATAL');
      assert.is(header(msg.raw, 'To'), 'a@example.com, b@example.com');
      const lines = body(msg.raw).split('\n');
      assert.is(lines.length, 2, body(msg.raw));
      const names = lines.map((l) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} -- Process (\S+) failed to start too many times$/.exec(l)?.[1]);
      assert.equal(names.sort(), ['bad1:bad1', 'bad2:bad2']);
      assert.match(run.file('fatalmailbatch.err'), /Sending notification email:\nTo: a@example.com, b@example.com\nFrom: sup@example.com\nSubject: FATAL\nBody:\n/);
    } finally {
      await run.stop();
      await smtp.close();
    }
  });
}

test.run();
