// The one error the runtime throws: supervisor's ProcessException family, raised when no
// child could be started at all. The process machine logs `spawnerr: <message>` and goes
// to BACKOFF, exactly as Subprocess.spawn() does, so the message is supervisor's text.

/**
 * BadCommand, NotFound, NotExecutable and NoPermission are supervisor's own classes
 * (get_execv_args / check_execv_args); NoResources covers its EMFILE and fork-EAGAIN
 * messages, which it records the same way. EnvironmentFile is statevisor's environment_file
 * that cannot be read.
 */
export type SpawnErrorKind = 'BadCommand' | 'NotFound' | 'NotExecutable' | 'NoPermission' | 'NoResources' | 'EnvironmentFile';

export class SpawnError extends Error {
  override name = 'SpawnError';
  constructor(readonly kind: SpawnErrorKind, message: string) {
    super(message);
  }
}
