// The JSON the web page and the daemon exchange: imported by both sides (the page's
// bundle too), so it holds types only.

/** One process row: what the table shows and what its actions depend on. */
export interface ProcessRow {
  /** make_namespec(group, name). */
  ns: string;
  group: string;
  name: string;
  statename: string;
  /** getProcessInfo's description (the page recomputes a RUNNING one's uptime each second). */
  description: string;
  pid: number;
  /** laststart and the daemon's clock, epoch seconds, for the uptime. */
  start: number;
  now: number;
}

export interface GroupRow {
  name: string;
  /** The group machine's state value (running, restarting, givingUp…). */
  state: string;
  strategy: string;
  /** Restart intensity: at most max_restarts restarts within restart_window seconds (0: unlimited). */
  maxRestarts: number;
  restartWindow: number;
  /** Actor key of the group, for its state-machine view. */
  actor: string;
  /** An [eventlistener:x] pool: each member also has a listener (protocol) machine, `listener:<group>:<name>`. */
  listener: boolean;
}

/** GET /api/state. */
export interface PageState {
  version: string;
  identification: string;
  mood: string;
  /** The per-daemon token every POST /api/action must carry (X-Statevisor-Token). */
  token: string;
  groups: GroupRow[];
  processes: ProcessRow[];
}

/** POST /api/action body. */
export interface ActionRequest {
  action: 'start' | 'stop' | 'restart' | 'clearlog' | 'startall' | 'stopall' | 'restartall';
  name?: string;
}

/** POST /api/action answer: supervisor's web.py message for the action. */
export interface ActionResult {
  message: string;
  error: boolean;
}

/** Server-sent events on /api/events: `rows` (ProcessRow[]), `groups` (GroupRow[]), `mood` (string), `reset` (nothing). */
export type PageEventName = 'rows' | 'groups' | 'mood' | 'reset';

// ---------------------------------------------------------------------------------------
// State-machine views.

/** One state of a machine definition (atomic or compound), by dotted path. */
export interface ChartState {
  id: string;
  key: string;
  parent: string | null;
  /** Compound states: the initial child's id. */
  initial: string | null;
  final: boolean;
  /** Entry actions' names, for the state's box. */
  entry: string[];
}

/** One transition of the definition; an internal one (no target) stays in its source. */
export interface ChartEdge {
  source: string;
  /** null: handled without leaving the state (actions only). */
  target: string | null;
  /** The event's name; for `after`, the named delay; for `always`, ''. */
  event: string;
  kind: 'on' | 'after' | 'always';
  guard: string | null;
  /** A transition to its own state that exits and re-enters it. */
  reenter: boolean;
}

export interface Chart {
  /** The machine's id (process, group, listener, supervisor…). */
  machine: string;
  initial: string | null;
  states: ChartState[];
  edges: ChartEdge[];
}

/** One change of an actor's state value, as the inspection stream saw it. */
export interface Transition {
  from: string;
  to: string;
  /** The event's type that caused it. */
  event: string;
  /** ms since the epoch. */
  at: number;
}

export type Fact = string | number | (string | number)[];

/** The first message of /api/actor-events?id=…. */
export interface ActorView {
  id: string;
  chart: Chart;
  /** The current state value, as a dotted path of the deepest active states (comma-separated when parallel). */
  state: string;
  /** Oldest first. */
  history: Transition[];
  /** The context's plain fields and lists of them (a group's restart times), its config's supervision settings. */
  facts: Record<string, Fact>;
}
