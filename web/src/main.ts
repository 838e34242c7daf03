// The status page: loads the daemon's state, draws the table once, then applies the
// event stream's batches; buttons post actions; a row's name opens its live tail, its
// Machine button the state-machine view.
import type { ActionRequest, GroupRow, ProcessRow } from '../../src/web/types.ts';
import { act, loadState, stream } from './api.ts';
import { MachineView } from './machine.ts';
import { StatusTable } from './rows.ts';
import { TailPanel } from './tail.ts';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

const table = new StatusTable($('rows'));
const tail = new TailPanel($('tail'), $('tail-title'), $('tail-body'));
const machine = new MachineView($('machine'));

function showMessage(text: string, error = false): void {
  const m = $('message');
  m.textContent = text;
  m.className = `message ${error || text.startsWith('ERROR') ? 'error' : ''}`;
  m.hidden = false;
}

async function reload(): Promise<void> {
  const s = await loadState();
  $('ident').textContent = s.identification;
  $('mood').textContent = s.mood;
  $('footer').textContent = `statevisor · supervisor ${s.version} compatible`;
  document.title = `statevisor · ${s.identification}`;
  table.render(s.groups, s.processes);
  $('empty').hidden = s.processes.length > 0;
  $('status').hidden = s.processes.length === 0;
}

async function run(action: string, name?: string): Promise<void> {
  // the buttons' data-action / data-global name the action; the daemon refuses any other
  const r = await act({ action: action as ActionRequest['action'], name });
  showMessage(r.message, r.error);
}

document.addEventListener('click', (e) => {
  const target = e.target as HTMLElement;
  const global = target.closest<HTMLElement>('[data-global]');
  if (global) return void run(global.dataset.global!);
  const tailLink = target.closest<HTMLElement>('[data-tail]');
  const button = target.closest<HTMLElement>('[data-action]');
  if (tailLink) {
    e.preventDefault();
    return void tail.open(tailLink.dataset.tail!);
  }
  if (!button) return;
  const ns = button.closest<HTMLElement>('.proc')?.dataset.ns;
  const action = button.dataset.action!;
  if (action === 'machine') return openMachine(button.dataset.actor ?? `process:${ns!.includes(':') ? ns : `${ns}:${ns}`}`);
  if (action === 'tail') return void tail.open(ns!);
  void run(action, ns);
});
$('tail-close').addEventListener('click', () => tail.close());

/** A view has its own address (#machine=<actor>), to link to or keep open in a second window. */
function openMachine(key: string): void {
  history.replaceState(null, '', `#machine=${encodeURIComponent(key)}`);
  machine.open(key);
}
function closeMachine(): void {
  history.replaceState(null, '', location.pathname + location.search);
  machine.close();
}
$('machine-close').addEventListener('click', closeMachine);
$('machine').addEventListener('click', (e) => { if (e.target === $('machine')) closeMachine(); });
document.addEventListener('keydown', (e) => { if (e.key === 'Escape') closeMachine(); });
if (location.hash.startsWith('#machine=')) machine.open(decodeURIComponent(location.hash.slice('#machine='.length)));

// supervisor's action URLs redirect here with ?message=
const message = new URLSearchParams(location.search).get('message');
if (message) showMessage(message);

let opened = false;
void reload().then(() => {
  stream('api/events', {
    rows: (d) => table.update(d as ProcessRow[]),
    groups: (d) => table.updateGroups(d as GroupRow[]),
    mood: (d) => { $('mood').textContent = String(d); },
    reset: () => void reload(),
  }, () => {
    // a reconnect (the daemon reloaded): what was missed is only in a fresh state
    if (opened) void reload();
    opened = true;
  });
  setInterval(() => table.tick(), 1000);
  document.body.dataset.ready = 'true';
  performance.mark('statevisor:rendered');
});

declare global { interface Window { statevisor: { table: StatusTable } } }
window.statevisor = { table };
