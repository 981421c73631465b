/**
 * The channel to the parent: Electron's utility process has `process.parentPort`; a Node child started
 * with child_process.fork has `process.send`. The job code sees only this interface.
 */
export interface JobPort {
  send(message: unknown): Promise<void>
  onMessage(handler: (message: unknown) => void): void
  /** Called when the parent goes away (a Node parent that died); Electron kills utility processes itself. */
  onParentGone(handler: () => void): void
}

interface ParentPortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): void
  postMessage(message: unknown): void
}

export function connectJobPort(): JobPort {
  const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort
  if (parentPort) {
    return {
      send: async (m) => parentPort.postMessage(m),
      onMessage: (h) => parentPort.on('message', (e) => h(e.data)),
      onParentGone: () => {},
    }
  }
  if (typeof process.send !== 'function') {
    throw new Error('the backup job must be started by sfdbtools (no IPC channel to a parent process)')
  }
  return {
    send: (m) =>
      new Promise((resolve) => {
        if (!process.connected) return resolve()
        process.send?.(m, undefined, {}, () => resolve())
      }),
    onMessage: (h) => process.on('message', h),
    onParentGone: (h) => process.on('disconnect', h),
  }
}
