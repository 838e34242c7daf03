import { listen, log } from './protocol.ts';

const listener = listen();
for await (const event of listener) {
  if (event.eventname === 'PROCESS_STATE_EXITED' && !event.expected) {
    log(`${event.groupname}:${event.processname} exited unexpectedly (pid ${event.pid})`);
  } else if (event.eventname === 'PROCESS_LOG_STDOUT') {
    log(`${event.processname} wrote ${JSON.stringify(event.data)}`);
  }
  listener.ok();
}
