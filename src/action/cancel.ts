/** The runner cancels a job with SIGINT, then SIGTERM: say what is left behind, then exit. */

export function onCancel(handler: (signal: string) => void): () => void {
  const listener = (signal: NodeJS.Signals): void => {
    handler(signal)
    process.exit(1)
  }
  process.once('SIGINT', listener)
  process.once('SIGTERM', listener)
  return () => {
    process.off('SIGINT', listener)
    process.off('SIGTERM', listener)
  }
}

export function cancelMessage(signal: string, snapshotName: string | undefined, snapshotId: string | undefined): string {
  if (snapshotId) {
    return `Cancelled (${signal}): snapshot ${snapshotId} ('${snapshotName ?? ''}') continues on the service; it is not deleted.`
  }
  return snapshotName
    ? `Cancelled (${signal}) before a snapshot id was known; if a create was under way, look for a snapshot named '${snapshotName}'.`
    : `Cancelled (${signal}) before any snapshot was requested.`
}
