/**
 * Reference action for `npm run bench` (create and peak RSS): the same three toolkit packages at top
 * level, bundled with ncc like the real action, sending ONE signed create-snapshot request with
 * node:http (signed by the project's own signer, which ncc bundles) and exiting. No list call, no
 * retries, no waiting, no summary: the floor an action of this kind cannot go below.
 */
import * as http from 'node:http'
import * as https from 'node:https'
import * as core from '@actions/core'
import * as github from '@actions/github'
import { HttpClient } from '@actions/http-client'
import { signRequest } from '../../src/cloud/signer.js'

const clusterId = core.getInput('cluster_id', { required: true })
const endpoint = core.getInput('endpoint', { required: true })
const projectId = core.getInput('project_id', { required: true })
const accessKeyId = core.getInput('access_key_id', { required: true })
const secretAccessKey = core.getInput('secret_access_key', { required: true })
const name = core.getInput('name', { required: true })
core.setSecret(secretAccessKey)
const ctx = github.context
const description = `Taken by ${process.env.GITHUB_REPOSITORY ?? ''} workflow ${ctx.workflow} run ${ctx.runId}`
const client = new HttpClient('dws-snapshot-reference/1.0')

const url = new URL(`${endpoint.replace(/\/+$/, '')}/v1.0/${projectId}/snapshots`)
const body = JSON.stringify({ snapshot: { name, cluster_id: clusterId, description } })
const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Project-Id': projectId }
const auth = signRequest({ method: 'POST', url, headers, body }, { accessKeyId, secretAccessKey }, new Date())

const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
  // https for the relay measure (TLS on loopback), http straight to the emulator.
  const req = (url.protocol === 'https:' ? https : http).request(url, {
    method: 'POST',
    headers: { ...headers, ...auth, 'User-Agent': client.userAgent ?? '', 'Content-Length': String(Buffer.byteLength(body)) }
  })
  req.on('error', reject)
  req.on('response', (res) => {
    const chunks: Buffer[] = []
    res.on('data', (c: Buffer) => chunks.push(c))
    res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
  })
  req.end(body)
})
if (answer.status < 200 || answer.status > 299) {
  core.setFailed(`create answered ${answer.status}: ${answer.text.slice(0, 200)}`)
} else {
  const id = (JSON.parse(answer.text) as { snapshot?: { id?: string } }).snapshot?.id ?? ''
  core.setOutput('snapshot_id', id)
}
