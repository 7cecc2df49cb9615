/**
 * Exit codes and the one error type of the command line. A command returns an exit code or
 * throws a `CliError`; the dispatcher prints the message and exits with its code.
 */

/** Exit codes every command shares (documented in README "Command line"). */
export const EXIT = {
  /** done, or nothing needs a human */
  OK: 0,
  /** failed: the desk or an RPC did not answer, refused, or a doctor check failed */
  FAILED: 1,
  /** usage: unknown command or flag, a bad flag value, plain http:// to a remote desk */
  USAGE: 2,
  /** `status`: something needs a human now */
  NEEDS_HUMAN: 3,
  /** `sign` / `reject`: refused to sign (the desk's transaction differs from the rebuilt one, or a check failed) */
  REFUSED: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export type CliErrorCode = 'USAGE' | 'DESK_UNREACHABLE' | 'DESK_REFUSED' | 'DESK_BAD_ANSWER' | 'RPC_FAILED' | 'REFUSED_TO_SIGN' | 'NOT_CONFIRMED' | 'KEY_UNAVAILABLE';

const EXIT_OF: Record<CliErrorCode, ExitCode> = {
  USAGE: EXIT.USAGE,
  DESK_UNREACHABLE: EXIT.FAILED,
  DESK_REFUSED: EXIT.FAILED,
  DESK_BAD_ANSWER: EXIT.FAILED,
  RPC_FAILED: EXIT.FAILED,
  REFUSED_TO_SIGN: EXIT.REFUSED,
  NOT_CONFIRMED: EXIT.FAILED,
  KEY_UNAVAILABLE: EXIT.FAILED,
};

export class CliError extends Error {
  override name = 'CliError';
  readonly code: CliErrorCode;
  readonly exitCode: ExitCode;
  constructor(code: CliErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.exitCode = EXIT_OF[code];
  }
}
