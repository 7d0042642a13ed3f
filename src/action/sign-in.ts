/** The sign-in as configured, made concrete for this run: the STS session name expanded and made valid. */
import { SessionNameError, toSessionName } from '../auth/session-name.js'
import type { SignInConfig } from '../auth/select.js'
import type { Log } from '../log.js'
import type { Clock } from '../time.js'
import type { SignInInputs } from './inputs.js'
import { InputError } from './input-error.js'
import type { Env } from './io.js'
import { expandTemplate, tokenValues } from './template.js'
import { readWorkflowContext } from './workflow-context.js'

export async function signInConfig(signIn: SignInInputs, env: Env, clusterId: string, clock: Clock, log: Log): Promise<SignInConfig> {
  if (signIn.way !== 'oidc-sts') return signIn
  const { sessionNameTemplate, ...rest } = signIn
  // Several clusters share one session: it is named for the first.
  const values = tokenValues(await readWorkflowContext(env), { id: clusterId }, new Date(clock.now()))
  const expanded = expandTemplate(sessionNameTemplate, values, 'session_name')
  let name: ReturnType<typeof toSessionName>
  try {
    name = toSessionName(expanded)
  } catch (error) {
    if (error instanceof SessionNameError) throw new InputError('session_name', error.message)
    throw error
  }
  if (name.changes.length > 0) log.debug(`Session name '${expanded}' was made valid as '${name.value}': ${name.changes.join('; ')}.`)
  return { ...rest, sessionName: name.value }
}
