// The error that keeps the daemon from starting when a server cannot listen, on its own so
// that the composition root can tell it without loading node:http (http/server.ts).

/** supervisord's usage error (options.openhttpservers) when an address is taken. */
export const ADDRESS_IN_USE_MESSAGE =
  'Another program is already listening on a port that one of our HTTP servers is configured to use.  Shut this program down first before starting supervisord.';

/** A server could not be opened; the message is the one supervisord exits 2 with. */
export class HttpServerError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = 'HttpServerError';
  }
}
