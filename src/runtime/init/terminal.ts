/** A pseudo-terminal from the container's own devpts instance: the slave becomes fds 0-2 (so `tty` says /dev/pts/0). */
import type { Syscalls } from '../syscalls.js';
import { O_CLOEXEC, O_NOCTTY, O_RDWR } from '../linux.js';
import { receive, send } from './channel.js';
import type { PtyTaken, TerminalSize } from './protocol.js';

/** Opens the pair, hands the master to the engine (which copies it with pidfd_getfd), makes the slave our terminal. */
export function attachTerminal(sys: Syscalls, size: TerminalSize, owner: { uid: number; gid: number }): void {
  const { master, slavePath } = sys.openPty('/dev/ptmx', size);
  const slave = sys.open(slavePath, O_RDWR | O_NOCTTY | O_CLOEXEC);
  sys.chown(slavePath, owner.uid, owner.gid);
  sys.setControllingTerminal(slave);
  for (const fd of [0, 1, 2]) sys.dup2(slave, fd);
  sys.close(slave);
  send({ type: 'pty-ready', fd: master });
  receive<PtyTaken>();
  sys.close(master);
}
