/**
 * One kind of API call, as the action names it to the user. Every request and every error carries
 * its operation, so a message, an annotation title, a permission hint and the troubleshooting
 * section all come from the same place: the table of operations (dws/operations.ts, and the IAM
 * calls beside their code).
 */
export interface Operation {
  /** 'Create snapshot': failures are titled `<name> failed` and `<name> kept failing` */
  readonly name: string
  /** the identity-policy action a caller needs, named in the hint of a 403 */
  readonly permission?: string
  /** addressed to one cluster: there DWS.0015 means the cluster is unknown (or hidden from these credentials) */
  readonly clusterCall?: boolean
}
