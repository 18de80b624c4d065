/** A request the kernel refused: the errno name (EEXIST, ENODEV, ...) and, when it sent one, its own explanation. */
export class NetlinkError extends Error {
  constructor(
    readonly operation: string,
    readonly errno: string,
    readonly kernelMessage: string,
  ) {
    super(`netlink ${operation}: ${errno}${kernelMessage ? ` (${kernelMessage})` : ''}`);
    this.name = 'NetlinkError';
  }
}
