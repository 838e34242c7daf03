// The XML-RPC values are wire types, defined once for the daemon and the clients.
import type { XmlRpcStruct, XmlRpcValue } from '../client/wire.ts';

export type { XmlRpcStruct, XmlRpcValue };

export type Awaitable<T> = T | Promise<T>;

export const isStruct = (v: XmlRpcValue | undefined): v is XmlRpcStruct =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !Buffer.isBuffer(v);

/** A string, number or boolean: a value no one can change in place. */
export const isScalar = (v: XmlRpcValue): boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
