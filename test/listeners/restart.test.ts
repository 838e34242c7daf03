// memmon and httpok under a real daemon: each restarts, through XML-RPC, the program it
// watches when the program misbehaves, and leaves the others alone.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { body, DAEMONS, FIXTURES, header, listenerSection, PROGRAMS, Run, SmtpSink, until } from './helpers.ts';

const test = suite('listeners/restart', {}, 60_000);

for (const daemon of DAEMONS) {
  test(`${daemon}: memmon restarts the program over its limit, not the one under it, and mails`, async () => {
    const smtp = await new SmtpSink().start();
    const run = new Run(daemon, `
[program:grow]
command=${FIXTURES}grow.py 80
startsecs=0

[program:small]
command=${FIXTURES}grow.py 5
startsecs=0

${listenerSection('memmon', `-p grow=40MB -p small=40MB -n edge -u 1h -m ops@example.com --smtpHost ${smtp.host}`, 'TICK_5')}`);
    try {
      const detail = run.detail('memmon.err');
      await until('a second spawn of grow', () => run.spawns('grow').length >= 2, 30_000, detail);
      // small comes after grow in getAllProcessInfo's order: its line follows the restart.
      const err = await until('small checked after the restart', () => /Restarting grow:grow\n[^]*RSS of small:small/.test(run.file('memmon.err')) && run.file('memmon.err'), 10_000, detail);
      assert.match(run.side.text(), /stopped: grow \(terminated by SIGTERM\)\n/, run.side.text());
      assert.match(err, /Checking programs grow=41943040, small=41943040\n/);
      assert.match(err, /RSS of grow:grow is \d+\nRestarting grow:grow\n/);
      const small = [...err.matchAll(/RSS of small:small is (\d+)/g)].map((m) => Number(m[1]));
      assert.ok(small.length > 0 && small.every((rss) => rss > 5 << 20 && rss < 40 << 20), `small's RSS was read: ${small}`);
      assert.is(run.spawns('small').length, 1, 'small was not restarted');
      // Up for seconds, within -u 1h: the restart is mailed.
      const [msg] = await until('mail', () => smtp.messages.length > 0 && smtp.messages, 10_000, detail);
      assert.is(header(msg.raw, 'Subject'), 'memmon [edge]: process grow:grow restarted');
      assert.match(body(msg.raw), /^memmon restarted the process named grow:grow at \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} because it was consuming too much memory \((\d+) bytes RSS\)$/);
    } finally {
      await run.stop();
      await smtp.close();
    }
  });

  test(`${daemon}: memmon -c counts the memory of a program's children; -u keeps quiet about long-lived ones`, async () => {
    const smtp = await new SmtpSink().start();
    // The shell supervisor knows stays small; its child grows past the limit.
    const run = new Run(daemon, `
[program:tree]
command=${FIXTURES}grow-child.sh 60
startsecs=0

${listenerSection('memmon', `-c -g tree=30MB -u 0 -m ops@example.com --smtpHost ${smtp.host}`, 'TICK_5')}`);
    try {
      const detail = run.detail('memmon.err');
      await until('a second spawn of tree', () => run.spawns('tree').length >= 2, 30_000, detail);
      const rss = Number(/RSS of tree:tree is (\d+)\nRestarting tree:tree/.exec(run.file('memmon.err'))?.[1]);
      assert.ok(rss > 30 << 20, `cumulative RSS ${rss} is over the limit`);
      // The next tick's check shows the restart (and any mail) is over: up longer than 0 s, no mail.
      await until('the next check', () => /Restarting tree:tree\n[^]*Checking groups/.test(run.file('memmon.err')), 15_000, detail);
      assert.is(smtp.messages.length, 0);
    } finally {
      await run.stop();
      await smtp.close();
    }
  });

  test(`${daemon}: httpok restarts the program whose URL stops answering, and mails what it did`, async () => {
    const smtp = await new SmtpSink().start();
    let healthy = true;
    const hung = new Set<ServerResponse>();
    const agents: string[] = [];
    const server = createServer((req, res) => {
      agents.push(req.headers['user-agent'] ?? '');
      if (healthy) res.end('all good');
      else hung.add(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
    const run = new Run(daemon, `
[program:web]
command=${PROGRAMS}sleep-forever.sh
startsecs=0

[program:other]
command=${PROGRAMS}sleep-forever.sh
startsecs=0

${listenerSection('httpok', `-p web -t 2 -b good -m ops@example.com --smtpHost ${smtp.host} ${url}`, 'TICK_5')}`);
    try {
      const detail = run.detail('httpok.err');
      await until('a healthy check', () => agents.length >= 1, 20_000, detail);
      assert.is(agents[0], 'httpok');
      healthy = false;
      await until('a second spawn of web', () => run.spawns('web').length >= 2, 30_000, detail);
      const err = await until('the restart in httpok.err', () => /web restarted\n/.test(run.file('httpok.err')) && run.file('httpok.err'), 10_000, detail);
      assert.match(err, /error contacting http:\S+:\n\n timed out\nRestarting selected processes web\nweb is in RUNNING state, restarting\nweb restarted\n/, err);
      assert.is(run.spawns('other').length, 1, 'other was not restarted');
      assert.is(run.spawns('web').length, 2, 'one restart per failed check');
      const [msg] = await until('mail', () => smtp.messages.length > 0 && smtp.messages, 10_000, detail);
      assert.is(header(msg.raw, 'Subject'), `httpok for ${url}: bad status returned`);
      assert.is(body(msg.raw), `error contacting ${url}:\n\n timed out\nRestarting selected processes web\nweb is in RUNNING state, restarting\nweb restarted`);
    } finally {
      await run.stop();
      await smtp.close();
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
}

test.run();
