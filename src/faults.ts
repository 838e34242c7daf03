// supervisor's XML-RPC fault table (supervisor/xmlrpc.py `Faults`) and the one error that
// carries a fault, on both sides of the wire: the daemon throws it, the client rebuilds it
// from what arrived. Shared with clients, so it imports nothing.

export const Faults = {
  UNKNOWN_METHOD: 1,
  INCORRECT_PARAMETERS: 2,
  BAD_ARGUMENTS: 3,
  SIGNATURE_UNSUPPORTED: 4,
  SHUTDOWN_STATE: 6,
  BAD_NAME: 10,
  BAD_SIGNAL: 11,
  NO_FILE: 20,
  NOT_EXECUTABLE: 21,
  FAILED: 30,
  ABNORMAL_TERMINATION: 40,
  SPAWN_ERROR: 50,
  ALREADY_STARTED: 60,
  NOT_RUNNING: 70,
  SUCCESS: 80,
  ALREADY_ADDED: 90,
  STILL_RUNNING: 91,
  CANT_REREAD: 92,
} as const;

export type FaultName = keyof typeof Faults;
export type FaultCode = (typeof Faults)[FaultName];

/** What goes on the wire inside `<fault>`, and what multicall returns for a failed call. */
export type FaultStruct = {
  faultCode: number;
  faultString: string;
};

const NAMES = new Map<number, FaultName>(
  (Object.entries(Faults) as [FaultName, number][]).map(([name, code]) => [code, name]),
);

/** getFaultDescription: the name of a code, `UNKNOWN` for a code not in the table. */
export function faultName(code: number): FaultName | 'UNKNOWN' {
  return NAMES.get(code) ?? 'UNKNOWN';
}

/** supervisor's RPCError text: `NAME`, or `NAME: extra` when extra is given (None is not). */
export function faultText(code: number, extra?: string | number | null): string {
  const name = faultName(code);
  return extra === undefined || extra === null ? name : `${name}: ${extra}`;
}

/** A fault raised by an RPC method; the server sends it as `{faultCode, faultString}`. */
export class RpcFault extends Error {
  readonly faultCode: number;
  readonly faultString: string;

  constructor(code: number, extra?: string | number | null) {
    const text = faultText(code, extra);
    super(text);
    this.name = 'RpcFault';
    this.faultCode = code;
    this.faultString = text;
  }

  /** A fault as it arrived from a server: its string is kept verbatim, not recomputed. */
  static received(faultCode: number, faultString: string): RpcFault {
    const fault = new RpcFault(faultCode);
    (fault as { faultString: string }).faultString = faultString;
    fault.message = faultString;
    return fault;
  }

  /** The plain struct the wire wants: an Error's own keys would serialize as `<struct/>`. */
  toStruct(): FaultStruct {
    return { faultCode: this.faultCode, faultString: this.faultString };
  }
}

export const isRpcFault = (e: unknown): e is RpcFault => e instanceof RpcFault;
