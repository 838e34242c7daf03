// Python's str() and truthiness of an unmarshalled XML-RPC value: supervisor formats some
// arguments into texts (`INCORRECT_PARAMETERS: <chars>`, REMOTE_COMMUNICATION payloads) and
// tests `wait` flags with `if wait:`, so a peer sees Python's rendering.
import { pyRepr } from '../config/pyrepr.ts';
import type { XmlRpcValue } from './types.ts';

const pad = (n: number): string => String(n).padStart(2, '0');

/** repr(float). */
export function pyFloat(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  // a <double> that holds a whole number reads back as a JS integer: Python would say 2.0
  // for <double>2</double> but 2 for <int>2</int>; the codec no longer knows which.
  return String(n).replace(/e([+-])(\d)$/, 'e$10$2');
}

function repr(v: XmlRpcValue): string {
  return typeof v === 'string' ? pyRepr(v) : pyStr(v);
}

/** str(value) as Python prints it. */
export function pyStr(v: XmlRpcValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return pyFloat(v);
  if (v === null) return 'None';
  if (v instanceof Date) {
    return `${v.getFullYear()}-${pad(v.getMonth() + 1)}-${pad(v.getDate())} ${pad(v.getHours())}:${pad(v.getMinutes())}:${pad(v.getSeconds())}`;
  }
  if (Buffer.isBuffer(v)) return `b${pyRepr(v.toString('latin1'))}`;
  if (Array.isArray(v)) return `[${v.map(repr).join(', ')}]`;
  return `{${Object.entries(v).map(([k, x]) => `${pyRepr(k)}: ${repr(x)}`).join(', ')}}`;
}

/** bool(value) as Python decides it. */
export function pyTruthy(v: XmlRpcValue): boolean {
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'boolean') return v;
  if (v === null) return false;
  if (v instanceof Date) return true;
  if (Buffer.isBuffer(v) || Array.isArray(v)) return v.length > 0;
  return Object.keys(v).length > 0;
}

/** type(value).__name__, for supervisor's `FAILED: <class '…'>:…` texts. */
export function pyTypeName(v: XmlRpcValue): string {
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (v === null) return 'NoneType';
  if (v instanceof Date) return 'datetime';
  if (Buffer.isBuffer(v)) return 'bytes';
  return Array.isArray(v) ? 'list' : 'dict';
}
