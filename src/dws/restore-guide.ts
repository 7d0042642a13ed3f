/**
 * The way back: how to restore a snapshot into a new cluster, as a console page and as a request
 * ready to edit. Pure. Every value placed in a command has been validated to a plain character set
 * (region, project id, UUID, snapshot name), so it needs no shell quoting.
 */

export interface RestoreTarget {
  /** the DWS base URL the run used */
  endpoint: URL
  region: string | undefined
  projectId: string
  snapshotId: string
  snapshotName: string
}

export interface RestoreGuide {
  /** the DWS console of the region; undefined when the region is not known */
  consoleUrl: string | undefined
  /** the name suggested for the new cluster: 4-64 characters, starting with a letter */
  clusterName: string
  /** `hcloud DWS RestoreCluster …` (KooCLI), one option per line */
  koocli: string | undefined
  /** the HTTP request, for any client that signs Huawei Cloud requests */
  http: { method: 'POST'; url: string; body: string }
}

/** Open Telekom Cloud and Huawei Cloud Europe have their own consoles; Chinese mainland regions the main one. */
function consoleHost(region: string): string {
  if (region === 'eu-de' || region === 'eu-nl') return 'console.otc.t-systems.com'
  if (region === 'eu-west-101') return 'console.eu.huaweicloud.com'
  return region.startsWith('cn-') ? 'console.huaweicloud.com' : 'console-intl.huaweicloud.com'
}

export function restoreGuide(target: RestoreTarget): RestoreGuide {
  const { region, projectId, snapshotId } = target
  const clusterName = `${target.snapshotName.slice(0, 56)}-restore`
  const base = target.endpoint.href.replace(/\/+$/, '')
  const koocli =
    region === undefined
      ? undefined
      : [
          `hcloud DWS RestoreCluster --cli-region=${region}`,
          `  --project_id=${projectId}`,
          `  --snapshot_id=${snapshotId}`,
          `  --restore.name=${clusterName}`
        ].join(' \\\n')
  return {
    consoleUrl: region === undefined ? undefined : `https://${consoleHost(region)}/dws/?region=${region}`,
    clusterName,
    koocli,
    http: {
      method: 'POST',
      url: `${base}/v1.0/${projectId}/snapshots/${snapshotId}/actions`,
      body: JSON.stringify({ restore: { name: clusterName } })
    }
  }
}
