import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 6325:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   U4: () => (/* binding */ NoIdTokenError),
/* harmony export */   Z4: () => (/* binding */ IdTokenError),
/* harmony export */   Zs: () => (/* binding */ describeClaims),
/* harmony export */   e0: () => (/* binding */ idTokenClaims),
/* harmony export */   jA: () => (/* binding */ freshIdToken)
/* harmony export */ });
/* unused harmony export isTransientIdTokenFailure */
/* harmony import */ var _cloud_retry_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(6451);

/** The claims shown when an exchange fails: what trust policies and mapping rules test. None is secret. */
const SHOWN_CLAIMS = ['iss', 'aud', 'sub', 'repository', 'ref', 'environment', 'job_workflow_ref'];
const ATTEMPTS = 3;
const PAUSE_MS = 2000;
/** The runner gives no ID token: the job lacks `id-token: write`, or it runs for a fork's pull request. */
class NoIdTokenError extends Error {
    constructor() {
        super('Keyless sign-in needs a GitHub ID token, and this job has none (ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set)');
        this.name = 'NoIdTokenError';
    }
}
/** Every attempt to get an ID token failed; the message is the last failure's, cleaned. */
class IdTokenError extends Error {
    audience;
    attempts;
    constructor(audience, attempts, detail) {
        super(`Could not get a GitHub ID token for audience '${audience}' (${attempts} attempt${attempts === 1 ? '' : 's'}): ${detail}`);
        this.audience = audience;
        this.attempts = attempts;
        this.name = 'IdTokenError';
    }
}
/**
 * @actions/core words its failures as text: a 5xx or 429 status, or none at all (the connection
 * failed), is worth another try; a 4xx is not.
 */
function isTransientIdTokenFailure(message) {
    if (/Error Code\s*:\s*(5\d\d|429|undefined)\b/.test(message))
        return true;
    return /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|EPIPE|socket hang up/i.test(message);
}
async function freshIdToken(audience, deps) {
    const judge = (error, attempt) => {
        const message = error instanceof Error ? error.message : String(error);
        const detail = deps.clean(message);
        if (attempt >= ATTEMPTS || !isTransientIdTokenFailure(message))
            return { kind: 'give-up', error: new IdTokenError(audience, attempt, detail) };
        return {
            kind: 'again',
            delayMs: PAUSE_MS * attempt,
            say: `Getting a GitHub ID token failed (${detail}); attempt ${attempt} of ${ATTEMPTS}, trying again`
        };
    };
    const run = async () => {
        const token = await deps.idToken(audience);
        deps.registerSecret(token);
        if (!token)
            throw new Error('the runner answered an empty token');
        return token;
    };
    // Not a request to the service: its retries are not counted with the API's.
    return (0,_cloud_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .retry */ .L5)({ run, judge }, { clock: deps.clock, log: deps.log });
}
/**
 * The shown claims of a JWT, each cleaned; {} when the token cannot be read. Reads the payload
 * only: the signature is the exchange's business.
 */
function idTokenClaims(jwt, clean) {
    const payload = jwt.split('.')[1];
    if (payload === undefined)
        return {};
    let claims;
    try {
        claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    }
    catch {
        return {};
    }
    if (claims === null || typeof claims !== 'object' || Array.isArray(claims))
        return {};
    const shown = {};
    for (const name of SHOWN_CLAIMS) {
        const value = claims[name];
        const textValue = typeof value === 'string' ? value : Array.isArray(value) ? value.filter((v) => typeof v === 'string').join(', ') : '';
        if (textValue)
            shown[name] = clean(textValue);
    }
    return shown;
}
/** `iss=…, aud=…, sub=…`: the claims as one line for a message. */
function describeClaims(claims) {
    const parts = SHOWN_CLAIMS.filter((name) => claims[name] !== undefined).map((name) => `${name}=${claims[name] ?? ''}`);
    return parts.length ? parts.join(', ') : '(the ID token could not be read)';
}


/***/ }),

/***/ 5190:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   J: () => (/* binding */ SignInError)
/* harmony export */ });
/* harmony import */ var _cloud_retry_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(6451);
/** A keyless sign-in that failed, with what the user needs to compare against the trust setup. */

class SignInError extends Error {
    way;
    failure;
    claims;
    constructor(way, 
    /** what the exchange threw: an ApiError, TransportError, RetriesExhaustedError, ... */
    failure, claims) {
        super(failure.message);
        this.way = way;
        this.failure = failure;
        this.claims = claims;
        this.name = 'SignInError';
    }
    /** The last error of the exchange, past any retries. */
    get last() {
        return this.failure instanceof _cloud_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .RetriesExhaustedError */ .i5 ? this.failure.last : this.failure;
    }
}


/***/ }),

/***/ 666:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   DR: () => (/* binding */ serviceTime),
/* harmony export */   Gv: () => (/* binding */ isObject),
/* harmony export */   Hl: () => (/* binding */ shallowJson),
/* harmony export */   Nk: () => (/* binding */ readErrorBody),
/* harmony export */   Qq: () => (/* binding */ text),
/* harmony export */   WD: () => (/* binding */ asUuid),
/* harmony export */   lP: () => (/* binding */ PROJECT_ID_PATTERN),
/* harmony export */   qF: () => (/* binding */ parseJson),
/* harmony export */   qx: () => (/* binding */ UnexpectedAnswerError)
/* harmony export */ });
/* unused harmony export UUID_PATTERN */
/* harmony import */ var _kernel_time_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(884);
/**
 * Reading Huawei Cloud answers: everything from the network is untrusted data. Ids are validated
 * where they enter, times are normalised to UTC with `Z`, and every string passes `clean` (secrets
 * scrubbed, then made one safe, capped line) before anything else sees it. Pure. The DWS shapes
 * built on these are in dws/answers.ts.
 */

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Huawei Cloud project ids: 32 hex digits (some private clouds use other ids safe in a path). */
const PROJECT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** The answer was readable but not what the API documents (wrong types, missing or invalid ids). */
class UnexpectedAnswerError extends Error {
    operation;
    constructor(operation, detail) {
        super(`${operation.name}: the service's answer had an unexpected shape: ${detail}`);
        this.operation = operation;
        this.name = 'UnexpectedAnswerError';
    }
}
function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}
/** A lower-case UUID, or undefined when `value` is not one. */
function asUuid(value) {
    return typeof value === 'string' && UUID_PATTERN.test(value) ? value.toLowerCase() : undefined;
}
/** A non-empty string (or finite number) from the answer, cleaned; undefined otherwise. */
function text(value, clean) {
    if (typeof value === 'number' && Number.isFinite(value))
        return String(value);
    return typeof value === 'string' && value !== '' ? clean(value) : undefined;
}
const SERVICE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;
/**
 * The service writes `2026-11-28T05:47:35Z`, and in some answers the same without a zone, meaning
 * UTC. Returns ISO 8601 with `Z` (whole seconds), or undefined for anything else.
 */
function serviceTime(value) {
    if (typeof value !== 'string')
        return undefined;
    const m = SERVICE_TIME.exec(value.trim());
    if (m === null)
        return undefined;
    const zone = m[7] ?? 'Z';
    const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
    const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${offset}`);
    return Number.isNaN(ms) ? undefined : (0,_kernel_time_js__WEBPACK_IMPORTED_MODULE_0__/* .isoSeconds */ .nE)(ms);
}
/** JSON of a value, two levels deep at most: a hostile answer can be nested past any stack. */
function shallowJson(value, depth = 2) {
    if (value === undefined)
        return 'undefined';
    if (value === null || typeof value !== 'object')
        return JSON.stringify(value);
    if (depth === 0)
        return Array.isArray(value) ? '[…]' : '{…}';
    if (Array.isArray(value))
        return `[${value
            .slice(0, 20)
            .map((v) => shallowJson(v, depth - 1))
            .join(',')}]`;
    const entries = Object.entries(value).slice(0, 20);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${shallowJson(v, depth - 1)}`).join(',')}}`;
}
/**
 * Error bodies in the shapes Huawei Cloud uses: DWS and the API gateway `{error_code, error_msg}`
 * (sometimes `errCode`/`externalMessage`), Keystone `{"error": {"code", "message"}}`, IAM5 with
 * `encoded_authorization_message`.
 */
function readErrorBody(json, clean) {
    if (!isObject(json))
        return {};
    const nested = isObject(json.error) ? json.error : undefined;
    const code = text(json.error_code, clean) ?? text(json.errCode, clean) ?? text(json.code, clean) ?? text(nested?.code, clean);
    const message = text(json.error_msg, clean) ??
        text(json.externalMessage, clean) ??
        text(json.message, clean) ??
        text(nested?.message, clean) ??
        text(nested?.title, clean);
    return {
        code,
        message,
        requestId: text(json.request_id, clean),
        encodedAuthorizationMessage: typeof json.encoded_authorization_message === 'string' || undefined
    };
}
/** Parsed JSON, undefined for an empty body; throws on anything that is not JSON. */
function parseJson(operation, body) {
    if (body.trim() === '')
        return undefined;
    try {
        return JSON.parse(body);
    }
    catch {
        throw new UnexpectedAnswerError(operation, 'the body is not JSON');
    }
}


/***/ }),

/***/ 1246:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   CW: () => (/* binding */ isExpiredCredentials),
/* harmony export */   MS: () => (/* binding */ authFailureOf),
/* harmony export */   Uk: () => (/* binding */ isClusterNotFound),
/* harmony export */   hD: () => (/* binding */ ApiError),
/* harmony export */   mP: () => (/* binding */ UnreadableAnswerError),
/* harmony export */   w7: () => (/* binding */ isClusterBusy),
/* harmony export */   wX: () => (/* binding */ TransportError),
/* harmony export */   zU: () => (/* binding */ failureKind)
/* harmony export */ });
/* unused harmony export outcomeUnknown */
/**
 * The service (or a gateway/proxy in front of it) answered with an error status. Every string in
 * it has been scrubbed of secrets and made one safe line where the answer was read.
 */
class ApiError extends Error {
    operation;
    status;
    errorCode;
    errorMsg;
    requestId;
    bodyExcerpt;
    retryAfter;
    debugDetail;
    encodedAuthorizationMessage;
    constructor(operation, status, errorCode, errorMsg, requestId, 
    /** a short, cleaned excerpt when the body was not the service's JSON (e.g. a proxy's HTML page) */
    bodyExcerpt, 
    /** seconds or HTTP date from a Retry-After header */
    retryAfter, extra = {}) {
        super(describeApiError(operation, status, errorCode, errorMsg, requestId, bodyExcerpt));
        this.operation = operation;
        this.status = status;
        this.errorCode = errorCode;
        this.errorMsg = errorMsg;
        this.requestId = requestId;
        this.bodyExcerpt = bodyExcerpt;
        this.retryAfter = retryAfter;
        this.name = 'ApiError';
        this.debugDetail = extra.debugDetail;
        this.encodedAuthorizationMessage = extra.encodedAuthorizationMessage ?? false;
    }
}
/**
 * The service answered success but the answer cannot be used (empty, cut short, HTML, no valid id):
 * the request may well have been carried out, so its outcome is unknown.
 */
class UnreadableAnswerError extends Error {
    operation;
    constructor(operation, detail) {
        super(`${operation.name}: the service answered success, but its answer could not be read (${detail})`);
        this.operation = operation;
        this.name = 'UnreadableAnswerError';
    }
}
const PERMANENT_TRANSPORT_FAILURES = new Set([
    'dns',
    'tls',
    'proxy-auth',
    'too-large',
    'encoding',
    'invalid-request'
]);
/** No (complete) answer: the host could not be reached, the connection broke, or the deadline passed. */
class TransportError extends Error {
    operation;
    failure;
    host;
    requestSent;
    /** a kept-alive connection was found closed before any answer: a read may be sent again at once */
    staleConnection = false;
    constructor(operation, failure, host, 
    /**
     * true once the whole request was handed to the socket: the service may have acted on it.
     * Errs on the safe side (data buffered during a TLS handshake counts): it only costs a lookup.
     */
    requestSent, detail) {
        super(`${operation.name} failed: ${detail}`);
        this.operation = operation;
        this.failure = failure;
        this.host = host;
        this.requestSent = requestSent;
        this.name = 'TransportError';
    }
}
function describeApiError(operation, status, errorCode, errorMsg, requestId, bodyExcerpt) {
    const parts = [`${operation.name} failed: HTTP ${status}${STATUS_TEXT[status] ? ` (${STATUS_TEXT[status]})` : ''}`];
    if (errorCode)
        parts.push(errorCode);
    let text = parts.join(' ');
    if (errorMsg)
        text += `: ${errorMsg}`;
    else if (bodyExcerpt !== undefined)
        text += `; the answer was not the service's JSON: "${bodyExcerpt}"`;
    if (requestId)
        text += ` (request id ${requestId})`;
    return text;
}
/** Statuses whose number alone says little to a reader. */
const STATUS_TEXT = {
    429: 'too many requests',
    500: 'internal server error',
    502: 'bad gateway',
    503: 'service unavailable',
    504: 'gateway timeout'
};
const TRANSIENT_STATUSES = new Set([429, 500, 502, 503, 504]);
/**
 * The cluster runs another operation or its state does not allow a snapshot now. DWS.7023 also
 * arrives wrapped in a DWS.9999 whose message names it when an operation is repeated.
 */
function isClusterBusy(error) {
    if (!(error instanceof ApiError))
        return false;
    const { errorCode, errorMsg } = error;
    return errorCode === 'DWS.0011' || errorCode === 'DWS.7023' || (errorCode === 'DWS.9999' && /DWS\.7023/.test(errorMsg ?? ''));
}
/**
 * The real service answers an unknown but well-formed cluster id with 401 DWS.0047 or 403 DWS.0015
 * (the Terraform provider reads both as "not found"), a deleted one with 404 DWS.3027.
 */
function isClusterNotFound(error) {
    if (!(error instanceof ApiError))
        return false;
    const { errorCode, operation } = error;
    return errorCode === 'DWS.0047' || errorCode === 'DWS.3027' || (errorCode === 'DWS.0015' && operation.clusterCall === true);
}
/** Why the gateway refused the credentials, from its code and wording. */
function authFailureOf(error) {
    const { errorCode, errorMsg = '' } = error;
    if (errorCode === 'APIGW.0303' || /x-sdk-date|clock|time ?stamp|expired request/i.test(errorMsg))
        return 'clock';
    if (errorCode === 'APIGW.0307' || /token.*(expire|updated|invalid)/i.test(errorMsg))
        return 'expired-token';
    if (/access ?key (not found|does not exist|not exist)|ak not exist|invalid access ?key/i.test(errorMsg))
        return 'unknown-key';
    if (/signature/i.test(errorMsg))
        return 'signature';
    return 'other';
}
/** The gateway refused credentials that were valid but have expired: temporary ones can be renewed and the call sent again. */
function isExpiredCredentials(error) {
    return error instanceof ApiError && error.status === 401 && authFailureOf(error) === 'expired-token';
}
function failureKind(error) {
    if (isClusterBusy(error))
        return 'busy';
    if (error instanceof ApiError)
        return TRANSIENT_STATUSES.has(error.status) ? 'transient' : 'permanent';
    if (error instanceof UnreadableAnswerError)
        return 'transient';
    if (error instanceof TransportError) {
        return PERMANENT_TRANSPORT_FAILURES.has(error.failure) ? 'permanent' : 'transient';
    }
    return 'permanent';
}
/**
 * True when a failed request may nevertheless have been carried out by the service, so that a
 * create must look for its snapshot before trying again. A refused connection or a throttled
 * request (429) never reached the service.
 */
function outcomeUnknown(error) {
    if (error instanceof UnreadableAnswerError)
        return true;
    if (error instanceof TransportError)
        return error.requestSent;
    if (error instanceof ApiError)
        return error.status >= 500;
    return false;
}


/***/ }),

/***/ 1352:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   OF: () => (/* binding */ ProjectLookupError),
/* harmony export */   eQ: () => (/* binding */ LOOK_UP_PROJECT),
/* harmony export */   lg: () => (/* binding */ lookupProjectId),
/* harmony export */   uA: () => (/* binding */ federatedToken)
/* harmony export */ });
/* unused harmony export FEDERATED_TOKEN */
/* harmony import */ var _answers_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(666);
/** IAM over the cloud API: the project of a region, and a federated token for an OIDC ID token (IAM v3). */

/** No project, or several, are named like the region: the caller must name one. */
class ProjectLookupError extends Error {
    region;
    matches;
    constructor(region, matches) {
        super(matches === 0
            ? `no IAM project is named '${region}' for these credentials: check region, or set project_id`
            : `${matches} IAM projects are named '${region}': set project_id to choose one`);
        this.region = region;
        this.matches = matches;
        this.name = 'ProjectLookupError';
    }
}
/** IAM's own calls. The sign-in exchange is unsigned and reported as a failed sign-in, never under its own title. */
const LOOK_UP_PROJECT = { name: 'Look up project', permission: 'iam:projects:listProjects' };
const FEDERATED_TOKEN = { name: 'Get IAM token with OIDC' };
/** The project named exactly like the region (IAM `GET /v3/projects?name=`). */
async function lookupProjectId(api, iamEndpoint, region) {
    const operation = LOOK_UP_PROJECT;
    const body = await api.call({ operation, method: 'GET', base: iamEndpoint, path: '/v3/projects', query: { name: region } });
    const projects = (0,_answers_js__WEBPACK_IMPORTED_MODULE_0__/* .isObject */ .Gv)(body) ? (body.projects ?? []) : [];
    if (!Array.isArray(projects))
        throw new _answers_js__WEBPACK_IMPORTED_MODULE_0__/* .UnexpectedAnswerError */ .qx(operation, '"projects" is not a list');
    const matches = projects.filter((p) => (0,_answers_js__WEBPACK_IMPORTED_MODULE_0__/* .isObject */ .Gv)(p) && p.name === region);
    const ids = matches.map((p) => p.id);
    if (ids.some((id) => typeof id !== 'string' || !_answers_js__WEBPACK_IMPORTED_MODULE_0__/* .PROJECT_ID_PATTERN */ .lP.test(id))) {
        throw new _answers_js__WEBPACK_IMPORTED_MODULE_0__/* .UnexpectedAnswerError */ .qx(operation, `the project named '${region}' has no valid id`);
    }
    if (ids.length !== 1)
        throw new ProjectLookupError(region, ids.length);
    return ids[0];
}
/**
 * IAM v3 `POST /v3.0/OS-AUTH/id-token/tokens`: a project-scoped token for the federated user the
 * identity provider's mapping makes of the ID token. Unsigned. `onSecret` is told the token the
 * moment it is read from the X-Subject-Token header.
 */
async function federatedToken(api, iamEndpoint, request, onSecret) {
    const operation = FEDERATED_TOKEN;
    const answer = await api.send({
        operation,
        method: 'POST',
        base: iamEndpoint,
        path: '/v3.0/OS-AUTH/id-token/tokens',
        headers: { 'X-Idp-Id': request.idpId },
        unsigned: true,
        body: { auth: { id_token: { id: request.idToken }, scope: { project: request.project } } }
    });
    const header = answer.headers['x-subject-token'];
    const token = Array.isArray(header) ? header[0] : header;
    if (token)
        onSecret(token);
    if (!token)
        throw new _answers_js__WEBPACK_IMPORTED_MODULE_0__/* .UnexpectedAnswerError */ .qx(operation, 'it carries no X-Subject-Token header');
    const body = (0,_answers_js__WEBPACK_IMPORTED_MODULE_0__/* .isObject */ .Gv)(answer.body) && (0,_answers_js__WEBPACK_IMPORTED_MODULE_0__/* .isObject */ .Gv)(answer.body.token) ? answer.body.token : undefined;
    const expiresAt = (0,_answers_js__WEBPACK_IMPORTED_MODULE_0__/* .serviceTime */ .DR)(body?.expires_at);
    if (expiresAt === undefined)
        throw new _answers_js__WEBPACK_IMPORTED_MODULE_0__/* .UnexpectedAnswerError */ .qx(operation, 'token.expires_at is not a time');
    const user = (0,_answers_js__WEBPACK_IMPORTED_MODULE_0__/* .isObject */ .Gv)(body?.user) ? body.user : undefined;
    const federation = (0,_answers_js__WEBPACK_IMPORTED_MODULE_0__/* .isObject */ .Gv)(user?.['OS-FEDERATION']) ? user['OS-FEDERATION'] : undefined;
    const provider = (0,_answers_js__WEBPACK_IMPORTED_MODULE_0__/* .isObject */ .Gv)(federation?.identity_provider) ? (0,_answers_js__WEBPACK_IMPORTED_MODULE_0__/* .text */ .Qq)(federation.identity_provider.id, api.clean) : undefined;
    const name = (0,_answers_js__WEBPACK_IMPORTED_MODULE_0__/* .text */ .Qq)(user?.name, api.clean) ?? 'a federated user';
    const projectId = (0,_answers_js__WEBPACK_IMPORTED_MODULE_0__/* .isObject */ .Gv)(body?.project) ? body.project.id : undefined;
    return {
        token,
        expiresAt: Date.parse(expiresAt),
        user: provider ? `${name} (identity provider ${provider})` : name,
        projectId: typeof projectId === 'string' && _answers_js__WEBPACK_IMPORTED_MODULE_0__/* .PROJECT_ID_PATTERN */ .lP.test(projectId) ? projectId : undefined
    };
}


/***/ }),

/***/ 6451:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   L5: () => (/* binding */ retry),
/* harmony export */   LH: () => (/* binding */ withRetries),
/* harmony export */   VU: () => (/* binding */ DEFAULT_BACKOFF),
/* harmony export */   X5: () => (/* binding */ Throttle),
/* harmony export */   i5: () => (/* binding */ RetriesExhaustedError)
/* harmony export */ });
/* unused harmony exports backoffMs, parseRetryAfter */
/* harmony import */ var _kernel_time_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(884);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(1246);


const DEFAULT_BACKOFF = { baseMs: 1000, capMs: 30_000, retryAfterCapMs: 60_000 };
/**
 * One backoff for all the calls of a step: when the service throttles one of them, every job waits
 * until the same time instead of each hammering it on its own schedule.
 */
class Throttle {
    until = 0;
    hold(untilMs) {
        this.until = Math.max(this.until, untilMs);
    }
    async wait(clock) {
        const ms = this.until - clock.now();
        if (ms > 0)
            await clock.sleep(ms);
    }
}
async function retry(attempts, ctx) {
    const { clock, log } = ctx;
    for (let attempt = 1;; attempt++) {
        await ctx.throttle?.wait(clock);
        try {
            return await attempts.run(attempt);
        }
        catch (error) {
            const verdict = await attempts.judge(error, attempt);
            if (verdict.kind === 'settled')
                return verdict.value;
            if (verdict.kind === 'give-up')
                throw verdict.error ?? error;
            const { delayMs } = verdict;
            if (ctx.deadline !== undefined && delayMs > 0 && clock.now() + delayMs > ctx.deadline) {
                log.debug(`Not retried: a pause of ${formatDelay(delayMs)} would pass the step's deadline`);
                throw verdict.pastDeadline?.() ?? new RetriesExhaustedError(attempt, error, true);
            }
            if (verdict.quiet)
                log.debug(verdict.say);
            else
                log.info(verdict.say);
            if (verdict.holdAll)
                ctx.throttle?.hold(clock.now() + delayMs);
            if (delayMs > 0)
                await clock.sleep(delayMs);
            if (ctx.stats)
                ctx.stats.retries++;
            const settled = await attempts.beforeNext?.(error);
            if (settled !== undefined)
                return settled;
        }
    }
}
/** Full jitter: uniform in [0, min(cap, base·2^(attempt-1))]. */
function backoffMs(attempt, baseMs, capMs, random) {
    const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(random() * ceiling);
}
/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
function parseRetryAfter(value, nowMs) {
    if (!value)
        return undefined;
    const trimmed = value.trim();
    if (/^\d+$/.test(trimmed))
        return Number(trimmed) * 1000;
    const date = Date.parse(trimmed);
    return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
/** Thrown when every attempt failed transiently: says how many were made and what the last answer was. */
class RetriesExhaustedError extends Error {
    attempts;
    last;
    atDeadline;
    constructor(attempts, last, atDeadline = false) {
        super(`${last.message} (gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}` +
            `${atDeadline ? ', as the step reached wait_timeout' : ''})`);
        this.attempts = attempts;
        this.last = last;
        this.atDeadline = atDeadline;
        this.name = 'RetriesExhaustedError';
    }
}
/**
 * Runs `call` until it succeeds, fails for good, or attempts (or the deadline) run out: transient
 * failures are tried again, busy and permanent ones are returned to the caller at once.
 */
function withRetries(call, ctx, options = {}) {
    const { policy, clock } = ctx;
    const random = ctx.random ?? Math.random;
    const untilDeadline = options.untilDeadline === true && ctx.deadline !== undefined;
    const judge = (error, attempt) => {
        const kind = (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .failureKind */ .zU)(error);
        if (kind !== 'transient') {
            ctx.log.debug(`Not retried (${kind}): ${reasonOf(error)}`);
            return { kind: 'give-up' };
        }
        if (!untilDeadline && attempt >= policy.maxAttempts) {
            return { kind: 'give-up', error: policy.maxAttempts > 1 ? new RetriesExhaustedError(attempt, error) : error };
        }
        const retryAfter = error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ApiError */ .hD ? parseRetryAfter(error.retryAfter, clock.now()) : undefined;
        const capMs = Math.min(policy.capMs, options.capMs ?? Infinity);
        const delayMs = retryAfter !== undefined ? Math.min(retryAfter, policy.retryAfterCapMs) : backoffMs(attempt, policy.baseMs, capMs, random);
        const of = untilDeadline ? 'until wait_timeout' : `of ${policy.maxAttempts}`;
        return {
            kind: 'again',
            delayMs,
            say: `${reasonOf(error)}; attempt ${attempt} ${of}, trying again in ${formatDelay(delayMs)}` +
                (retryAfter !== undefined ? ' (as Retry-After asks)' : ''),
            holdAll: error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ApiError */ .hD && error.status === 429
        };
    };
    return retry({ run: call, judge, beforeNext: options.beforeRetry }, ctx);
}
function reasonOf(error) {
    return error instanceof Error ? error.message : String(error);
}
function formatDelay(ms) {
    return ms < 1000 ? `${ms}ms` : (0,_kernel_time_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(ms);
}


/***/ }),

/***/ 884:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   a3: () => (/* binding */ formatDuration),
/* harmony export */   ml: () => (/* binding */ systemClock),
/* harmony export */   nE: () => (/* binding */ isoSeconds)
/* harmony export */ });
const systemClock = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms))
};
/** ISO 8601 UTC to the second, as the service writes its times: `2026-11-28T05:47:35Z`. */
function isoSeconds(ms) {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
/** Human-readable, rounded to whole seconds: 95000 -> '1m35s', 3600000 -> '1h', 0 -> '0s'. */
function formatDuration(ms) {
    if (!Number.isFinite(ms))
        return 'unknown';
    // Negative only arises from clock steps between two readings: show it as no time at all.
    let total = Math.max(0, Math.round(ms / 1000));
    if (total === 0)
        return '0s';
    const h = Math.floor(total / 3600);
    total -= h * 3600;
    const m = Math.floor(total / 60);
    const s = total - m * 60;
    return `${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${s > 0 ? `${s}s` : ''}`;
}


/***/ }),

/***/ 4808:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _restore_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(1290);

await (0,_restore_js__WEBPACK_IMPORTED_MODULE_0__/* .runRestorePost */ .GD)();

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 1290:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  GD: () => (/* binding */ runRestorePost)
});

// UNUSED EXPORTS: RESTORE_ACTION, runRestore

// EXTERNAL MODULE: ./src/cloud/answers.ts
var answers = __nccwpck_require__(666);
;// CONCATENATED MODULE: ./src/cloud/endpoints.ts
/**
 * Region → service base URLs. Pure. The region tables are a convenience, not a gate: any region string is accepted and
 * `endpoint`/`iam_endpoint` override what is derived (private endpoints, other clouds).
 *
 * Rule: `https://<service>.<region>.myhuaweicloud.com`. The exceptions below are the ones the
 * official SDK's per-service region tables (DwsRegion, IamRegion, StsRegion) list; they differ per
 * service (cn-east-4 has DWS under .cn but IAM under .com), so each service has its own.
 */
const DEFAULT_DOMAIN = 'myhuaweicloud.com';
/** Regions whose DWS endpoint is not under myhuaweicloud.com (SDK DwsRegion). */
const DWS_DOMAIN_EXCEPTIONS = new Map([
    ['eu-west-101', 'myhuaweicloud.eu'],
    ['ap-southeast-4', 'myhuaweicloud.cn'],
    ['tr-west-1', 'myhuaweicloud.cn'],
    ['cn-south-4', 'myhuaweicloud.cn'],
    ['cn-north-12', 'myhuaweicloud.cn'],
    ['cn-east-4', 'myhuaweicloud.cn']
]);
/** Regions whose IAM endpoint is not under myhuaweicloud.com (SDK IamRegion). */
const IAM_DOMAIN_EXCEPTIONS = new Map([['eu-west-101', 'myhuaweicloud.eu']]);
/** STS is only in some regions, so unlike DWS and IAM it is not derived for unknown ones (SDK StsRegion). */
const STS_REGIONS = new Set([
    'cn-north-4',
    'cn-south-1',
    'cn-east-3',
    'cn-southwest-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'sa-brazil-1',
    'la-south-2',
    'af-south-1',
    'tr-west-1'
]);
/** Open Telekom Cloud serves the same DWS and IAM APIs under its own domain (eu-de is the documented region). */
const OTC_REGION = 'eu-de';
const OTC_DOMAIN = 'otc.t-systems.com';
function serviceUrl(service, region, exceptions) {
    const domain = region === OTC_REGION ? OTC_DOMAIN : (exceptions.get(region) ?? DEFAULT_DOMAIN);
    return `https://${service}.${region}.${domain}`;
}
function dwsEndpointFor(region) {
    return serviceUrl('dws', region, DWS_DOMAIN_EXCEPTIONS);
}
function iamEndpointFor(region) {
    return serviceUrl('iam', region, IAM_DOMAIN_EXCEPTIONS);
}
/** The STS endpoint of a region the SDK knows STS in, else undefined (the caller needs an explicit endpoint). */
function stsEndpointFor(region) {
    return STS_REGIONS.has(region) ? `https://sts.${region}.${DEFAULT_DOMAIN}` : undefined;
}

;// CONCATENATED MODULE: ./src/kernel/sanitize.ts
/**
 * One gate for text the action did not write itself: answers from the network and values the user
 * typed. Nothing that passes it can start a workflow command (`::…::` only counts at the start of a
 * line, so no line break may survive) or reorder what the reader sees (bidi controls). Pure.
 */
/** Server text quoted in a message: long enough for any real error message, short enough for a log line. */
const SERVER_TEXT_MAX = 300;
/** Input values quoted in an error. */
const INPUT_TEXT_MAX = 200;
// C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidi controls: the
// embedding, override and isolate controls and also the invisible marks (ALM, LRM, RLM), which
// change how neighbouring digits and punctuation are ordered on screen.
// eslint-disable-next-line no-control-regex -- finding control characters is this module's job
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
function visible(ch) {
    switch (ch) {
        case '\n':
            return '\\n';
        case '\r':
            return '\\r';
        case '\t':
            return '\\t';
        default:
            return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
}
/** Control characters shown as escapes (`\n`, `\u001b`), so the text stays on one line and means what it shows. */
function oneLine(text) {
    return text.replace(UNSAFE, visible);
}
/** Cuts at `max` characters (never inside a surrogate pair) and says how long the whole was. */
function cap(text, max) {
    if (text.length <= max)
        return text;
    let end = max;
    const code = text.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff)
        end--;
    return `${text.slice(0, end)}… (${text.length} characters in all)`;
}
/**
 * Text that came from the network, ready for a log line, an annotation, an output or the summary.
 * Callers scrub secrets first: a secret cut in two by the cap would no longer be recognised.
 */
function serverText(text, max = SERVER_TEXT_MAX) {
    return cap(oneLine(text), max);
}
/** A value the user gave, quoted in an error message. */
function sanitize_quoteInput(value, max = INPUT_TEXT_MAX) {
    return `'${cap(oneLine(value), max)}'`;
}

;// CONCATENATED MODULE: ./src/action/inputs/input-error.ts
/**
 * A problem with what the user wrote in the workflow (an input or the env fallback it stands for).
 * main.ts reports it without a stack trace, before any request is sent.
 */
class input_error_InputError extends Error {
    input;
    hint;
    constructor(
    /** the input's name as written in `with:`, e.g. `cluster_id` */
    input, message, 
    /** what to check, when the message alone does not say it (e.g. why a required input is empty) */
    hint = '') {
        super(`Input '${input}': ${message}`);
        this.input = input;
        this.hint = hint;
        this.name = 'InputError';
    }
}

;// CONCATENATED MODULE: ./src/action/inputs/base-url.ts
/**
 * A base URL given by the user (endpoint, iam_endpoint) or derived from the region, and the rule that
 * credentials only travel over https. Pure.
 */


const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);
function isLoopbackHost(hostname) {
    return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}
/**
 * The value as an error may quote it: everything before the last `@` could be a user and password
 * (also in values the URL parser rejects, or reads as a path), and a query or fragment could carry a token.
 */
function quotableUrl(value) {
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(value)?.[0] ?? '';
    const at = value.lastIndexOf('@');
    const masked = at < 0 ? value : `${scheme}***${value.slice(at)}`;
    return sanitize_quoteInput(masked.replace(/([?#]).*/s, '$1***'));
}
/**
 * Parses a base URL given by the user (or derived) and refuses anything that would send signed
 * requests in clear text: `http://` is only allowed to loopback, where the emulator runs.
 */
function parseBaseUrl(value, input) {
    const shown = quotableUrl(value);
    let url;
    try {
        url = new URL(value);
    }
    catch {
        throw new input_error_InputError(input, `${shown} is not a URL; expected e.g. https://dws.cn-north-4.myhuaweicloud.com`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw new input_error_InputError(input, `${shown} must start with https://`);
    }
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
        throw new input_error_InputError(input, `${shown} uses http://; only https:// is allowed (http:// only for a loopback emulator)`);
    }
    if (url.username || url.password || url.search || url.hash) {
        throw new input_error_InputError(input, `${shown} must be a plain base URL without credentials, query or fragment`);
    }
    return url;
}

;// CONCATENATED MODULE: ./src/kernel/did-you-mean.ts
/**
 * "Did you mean …?": the names nearest to one that matched nothing, when they are near enough to be
 * a slip (a few edits, about a third of the name) rather than another word. Pure.
 */
/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours each cost 1. */
function editDistance(a, b) {
    const cols = b.length + 1;
    // One row-major table; row 0 and column 0 hold the distances from the empty string.
    const d = Array.from({ length: (a.length + 1) * cols }, (_, k) => (k < cols ? k : k % cols === 0 ? k / cols : 0));
    const at = (i, j) => d[i * cols + j] ?? 0;
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
                value = Math.min(value, at(i - 2, j - 2) + 1);
            d[i * cols + j] = value;
        }
    }
    return at(a.length, b.length);
}
/** Candidates within reach of `word`, nearest first (ties in alphabetical order); [] when none is near enough. */
function did_you_mean_closestMatches(word, candidates, options = {}) {
    const normalise = options.normalise ?? ((name) => name.toLowerCase());
    const wanted = normalise(word);
    // A slip is a few edits: a third of the name, at least one and at most three.
    const reach = Math.min(3, Math.max(1, Math.round(wanted.length / 3)));
    return [...new Set(candidates)]
        .map((candidate) => ({ candidate, distance: editDistance(wanted, normalise(candidate)) }))
        .filter((c) => c.distance <= reach)
        .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
        .slice(0, options.most ?? 1)
        .map((c) => c.candidate);
}

;// CONCATENATED MODULE: ./src/action/inputs/unknown.ts
/**
 * Inputs that are not what the user meant. An input the step gives that action.yml does not declare
 * (`wait-timeout: 2h`, `clusterid: ...`) would otherwise be ignored, leaving the default or an empty
 * input in place: the runner warns too, but among its own messages; this names the input to use
 * instead. And a required input left empty is seldom a typo: GitHub silently leaves undefined
 * variables and secrets empty, which the hint of its error says. Pure: the caller passes the env.
 */


const PREFIX = 'INPUT_';
/** The runner's env name of an input: INPUT_ and the name upper-cased, spaces as '_' (as @actions/core reads it). */
const envName = (input) => PREFIX + input.replace(/ /g, '_').toUpperCase();
/** Inputs are compared ignoring case and '-' versus '_'. */
const normalise = (name) => name.toLowerCase().replace(/[-\s]/g, '_');
/** Every INPUT_* variable that is not a declared input, with the closest declared name. */
function unknownInputs(env, known) {
    const declared = new Set(known.map(envName));
    return Object.keys(env)
        .filter((key) => key.startsWith(PREFIX) && key.length > PREFIX.length && !declared.has(key))
        .sort()
        .map((key) => {
        const name = key.slice(PREFIX.length).toLowerCase();
        const suggestion = closestInput(name, known);
        return suggestion === undefined ? { name } : { name, suggestion };
    });
}
/** The declared input a given name most likely meant, if any is close. */
function closestInput(name, known) {
    return did_you_mean_closestMatches(name, known, { normalise })[0];
}
/** The warning for one unknown input. */
function unknownInputMessage(input, known) {
    const what = `Input ${sanitize_quoteInput(input.name)} is not an input of this action, so its value is ignored`;
    return input.suggestion !== undefined
        ? `${what}: did you mean '${input.suggestion}'? Rename it in the step's with:.`
        : `${what}. The inputs are: ${known.join(', ')}.`;
}
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_review', 'pull_request_review_comment']);
/**
 * Why a required value is empty. `what` names it in the hint (e.g. `cluster_id` or `a credential`);
 * `inputs` are the inputs that would have given it, so that a misspelt one given instead is named first.
 */
function unknown_emptyInputHint(env, known, what, inputs) {
    const misspelt = unknownInputs(env, known).filter((u) => u.suggestion !== undefined && inputs.includes(u.suggestion));
    const causes = misspelt.map((u) => `The step has an input '${u.name}', which this action does not know: did you mean '${u.suggestion ?? ''}'?`);
    causes.push(`If ${what} comes from \${{ vars.NAME }} or \${{ secrets.NAME }}, that variable or secret is not defined for this repository, ` +
        "its organisation or the job's environment (GitHub gives an undefined one as an empty string, without an error).", 'Secrets are empty in runs for a pull request from a fork, and Dependabot runs see only Dependabot secrets.');
    const actor = env.GITHUB_TRIGGERING_ACTOR || env.GITHUB_ACTOR;
    if (actor === 'dependabot[bot]') {
        causes.push('This run was started by Dependabot: store the secret under Settings > Secrets and variables > Dependabot.');
    }
    else if (PULL_REQUEST_EVENTS.has(env.GITHUB_EVENT_NAME ?? '')) {
        causes.push('This run is for a pull request: if it comes from a fork, it gets no secrets.');
    }
    return causes.join(' ');
}

;// CONCATENATED MODULE: ./src/action/inputs/credentials.ts


/** Each environment family: a key pair and the security token issued with it, never mixed with another family. */
const ENV_FAMILIES = [
    {
        source: 'HUAWEI_CLOUD_*',
        accessKeyId: 'HUAWEI_CLOUD_ACCESS_KEY_ID',
        secretAccessKey: 'HUAWEI_CLOUD_SECRET_ACCESS_KEY',
        securityToken: 'HUAWEI_CLOUD_SECURITY_TOKEN'
    },
    {
        // The names Huawei's SDKs read (e.g. the Java SDK's EnvCredentialProvider).
        source: 'HUAWEICLOUD_SDK_*',
        accessKeyId: 'HUAWEICLOUD_SDK_AK',
        secretAccessKey: 'HUAWEICLOUD_SDK_SK',
        securityToken: 'HUAWEICLOUD_SDK_SECURITY_TOKEN'
    }
];
/**
 * Explicit inputs win over the environment, and credentials are only ever taken from one place:
 * an access key from one source with a secret from another would fail as a confusing 401, and a
 * security token left in the environment by an earlier step must not be signed with other keys.
 */
function readCredentials(inputs, env) {
    const fromInput = (name) => headerSafe(inputs.get(name), name, '');
    const token = fromInput('auth_token');
    const ak = fromInput('access_key_id');
    const sk = fromInput('secret_access_key');
    const securityToken = fromInput('security_token');
    if (token) {
        if (ak || sk) {
            throw new input_error_InputError('auth_token', 'give either auth_token or access_key_id/secret_access_key, not both');
        }
        if (securityToken) {
            throw new input_error_InputError('security_token', 'goes with temporary access keys, not with auth_token');
        }
        return { credentials: { kind: 'token', token }, source: 'input' };
    }
    if (ak || sk) {
        if (!ak)
            throw new input_error_InputError('access_key_id', 'is required when secret_access_key is given');
        if (!sk)
            throw new input_error_InputError('secret_access_key', 'is required when access_key_id is given');
        return { credentials: akskCredentials(ak, sk, securityToken), source: 'input' };
    }
    if (securityToken) {
        throw new input_error_InputError('security_token', 'is given without access_key_id and secret_access_key; a security token is only valid with the temporary keys issued with it');
    }
    for (const family of ENV_FAMILIES) {
        const found = readEnvFamily(env, family);
        if (found)
            return { credentials: found, source: family.source };
    }
    throw new input_error_InputError('access_key_id', 'no credentials: set access_key_id and secret_access_key (or run huaweicloud/auth-action before this step), or auth_token', unknown_emptyInputHint(env, inputs.metadata.inputs, 'a credential', ['access_key_id', 'secret_access_key', 'auth_token']));
}
/** Key variables set in the environment, by name (never value). */
function envKeysPresent(env) {
    return ENV_FAMILIES.flatMap((f) => [f.accessKeyId, f.secretAccessKey, f.securityToken]).filter((name) => env[name]?.trim());
}
/** The family's credentials, undefined when its key pair is not set at all, or an error when only half is. */
function readEnvFamily(env, family) {
    const fromEnv = (name, input) => headerSafe(env[name]?.trim() ?? '', input, `env ${name} `);
    const ak = fromEnv(family.accessKeyId, 'access_key_id');
    const sk = fromEnv(family.secretAccessKey, 'secret_access_key');
    if (!ak && !sk)
        return undefined;
    if (!ak)
        throw new input_error_InputError('access_key_id', `env ${family.secretAccessKey} is set but ${family.accessKeyId} is empty`);
    if (!sk)
        throw new input_error_InputError('secret_access_key', `env ${family.accessKeyId} is set but ${family.secretAccessKey} is empty`);
    return akskCredentials(ak, sk, fromEnv(family.securityToken, 'security_token'));
}
function akskCredentials(accessKeyId, secretAccessKey, securityToken) {
    return securityToken ? { kind: 'aksk', accessKeyId, secretAccessKey, securityToken } : { kind: 'aksk', accessKeyId, secretAccessKey };
}
/** What a header value may hold: printable ASCII, no spaces, no line breaks (after trimming). */
const HEADER_SAFE = /^[\x21-\x7e]*$/;
/**
 * Returns `value` if it can be sent in an HTTP header; otherwise an error that says what is wrong
 * and where, never the value: it is a secret (and a pasted line break would split the header).
 * `label` names an env variable the value came from ('' for the input itself).
 */
function headerSafe(value, input, label) {
    if (HEADER_SAFE.test(value))
        return value;
    let position = 0;
    for (const ch of value) {
        position += 1;
        const problem = describeUnsafe(ch);
        if (problem) {
            throw new input_error_InputError(input, `${label}contains ${problem} at position ${position} of the trimmed value; ` +
                'credentials are printable ASCII without spaces (the value is not shown)');
        }
    }
    return value;
}
function describeUnsafe(ch) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x21 && code <= 0x7e)
        return undefined;
    if (ch === '\n' || ch === '\r' || ch === '\u2028' || ch === '\u2029' || ch === '\u0085')
        return 'a line break';
    if (ch === ' ')
        return 'a space';
    if (ch === '\t')
        return 'a tab';
    // The code point of a character that cannot be part of a valid credential reveals nothing of it.
    const codePoint = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    return code < 0x20 || code === 0x7f ? `a control character (${codePoint})` : `a non-ASCII character (${codePoint})`;
}

;// CONCATENATED MODULE: ./src/action/inputs/keyless.ts




/** The ways of signing in and the inputs that choose each. */
const WAYS = [
    { way: 'an access key pair', inputs: ['access_key_id', 'secret_access_key', 'security_token'], keyless: false },
    { way: 'an IAM token', inputs: ['auth_token'], keyless: false },
    { way: 'keyless sign-in through STS', inputs: ['oidc_provider_urn', 'agency_urn'], keyless: true },
    { way: 'keyless sign-in through an IAM v3 identity provider', inputs: ['idp_id'], keyless: true }
];
/** URNs as IAM v5 writes them: `iam::<account id>:oidcProvider:<name>`, `iam::<account id>:agency:<name>`. */
const PROVIDER_URN = /^iam::[A-Za-z0-9]{1,64}:oidcProvider:[A-Za-z0-9_-]{1,64}$/;
const AGENCY_URN = /^iam::[A-Za-z0-9]{1,64}:agency:[A-Za-z0-9_+=,.@-]{1,64}$/;
const IDP_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** An OIDC client id: printable ASCII without spaces (it travels in a URL query and a JWT claim). */
const AUDIENCE = /^[\x21-\x7e]{1,255}$/;
const MINUTE = 60_000;
const SESSION = { min: { ms: 15 * MINUTE, text: '15m' }, max: { ms: 12 * 60 * MINUTE, text: '12h' } };
/**
 * Refuses two explicit ways at once, naming both. Returns whether a keyless way is chosen (keys
 * found only in the environment do not count as a way: keyless inputs win over them).
 */
function chooseKeyless(inputs) {
    const get = (name) => inputs.get(name);
    const chosen = WAYS.filter((w) => w.inputs.some((input) => get(input) !== ''));
    const keyless = chosen.some((w) => w.keyless);
    const [first, second] = chosen;
    // Keys together with a token are readCredentials' to refuse, with its own words.
    if (keyless && first && second) {
        const named = (w) => `${w.way} (${w.inputs.filter((i) => get(i) !== '').join(', ')})`;
        throw new input_error_InputError(second.inputs.find((i) => get(i) !== '') ?? second.inputs[0], `give one way of signing in, not two: ${named(first)} or ${named(second)}`);
    }
    return keyless;
}
function readKeylessInputs(inputs, env, place) {
    const get = (name) => inputs.get(name);
    const audience = inputs.orDefault('oidc_audience');
    if (!AUDIENCE.test(audience)) {
        throw new input_error_InputError('oidc_audience', `${sanitize_quoteInput(audience)} is not an audience: printable ASCII without spaces, at most 255`);
    }
    const idpId = get('idp_id');
    if (idpId) {
        if (!IDP_ID.test(idpId)) {
            throw new input_error_InputError('idp_id', `${sanitize_quoteInput(idpId)} is not an identity provider id: 1-64 letters, digits, - and _`);
        }
        return { way: 'oidc-iam', iamEndpoint: iamEndpointOf(place), idpId, audience, project: projectScope(place) };
    }
    const providerUrn = get('oidc_provider_urn');
    const agencyUrn = get('agency_urn');
    if (!providerUrn)
        throw new input_error_InputError('oidc_provider_urn', 'is required with agency_urn: iam::<account-id>:oidcProvider:<name>');
    if (!agencyUrn)
        throw new input_error_InputError('agency_urn', 'is required with oidc_provider_urn: iam::<account-id>:agency:<name>');
    if (!PROVIDER_URN.test(providerUrn)) {
        throw new input_error_InputError('oidc_provider_urn', `${sanitize_quoteInput(providerUrn)} is not iam::<account-id>:oidcProvider:<name>`);
    }
    if (!AGENCY_URN.test(agencyUrn)) {
        throw new input_error_InputError('agency_urn', `${sanitize_quoteInput(agencyUrn)} is not iam::<account-id>:agency:<name>`);
    }
    const durationMs = inputs.duration('session_duration', SESSION);
    return {
        way: 'oidc-sts',
        stsEndpoint: stsEndpointOf(get, env, place.region),
        providerUrn,
        agencyUrn,
        audience,
        sessionNameTemplate: inputs.orDefault('session_name'),
        durationSeconds: Math.round(durationMs / 1000)
    };
}
function stsEndpointOf(get, env, region) {
    const given = get('sts_endpoint');
    if (given)
        return parseBaseUrl(given, 'sts_endpoint');
    const fromEnv = env.HUAWEICLOUD_SDK_STS_ENDPOINT?.trim();
    if (fromEnv)
        return parseBaseUrl(fromEnv, 'sts_endpoint');
    const derived = region === undefined ? undefined : stsEndpointFor(region);
    if (derived)
        return parseBaseUrl(derived, 'region');
    // Never another region's STS: the credentials, and the traffic, would belong elsewhere.
    throw new input_error_InputError('sts_endpoint', `${region ? `region ${region} has no known STS endpoint` : 'no region is given to derive the STS endpoint from'} ` +
        `(STS is known in ${[...STS_REGIONS].join(', ')}); set sts_endpoint (or env HUAWEICLOUD_SDK_STS_ENDPOINT), ` +
        'or sign in through an IAM v3 identity provider with idp_id');
}
function iamEndpointOf(place) {
    if (place.iamEndpoint)
        return place.iamEndpoint;
    if (place.region)
        return parseBaseUrl(iamEndpointFor(place.region), 'region');
    throw new input_error_InputError('iam_endpoint', 'is required with idp_id when no region is given');
}
function projectScope(place) {
    if (place.projectId)
        return { id: place.projectId };
    if (place.region)
        return { name: place.region };
    throw new input_error_InputError('project_id', 'is required with idp_id when no region is given: the IAM token is scoped to a project');
}

;// CONCATENATED MODULE: ./src/action/inputs/cloud.ts







/** Region names become host names: letters, digits and dashes, nothing narrower (eu-west-101, eu-de, ...). */
const REGION = /^[a-z0-9]+(-[a-z0-9]+)+$/;
const REQUEST_TIMEOUT = { min: { ms: 1000, text: '1s' }, max: { ms: 600_000, text: '10m' } };
const MAX_ATTEMPTS = 20;
function cloud_readCloudConfig(inputs, env) {
    // Keyless inputs choose the way before any key is looked for: keys left in the environment are then ignored.
    const keyless = chooseKeyless(inputs);
    const sourced = keyless ? undefined : readCredentials(inputs, env);
    const region = inputs.get('region') || env.HUAWEI_CLOUD_REGION?.trim() || undefined;
    if (region !== undefined && !REGION.test(region)) {
        throw new input_error_InputError('region', `${sanitize_quoteInput(region)} is not a region name; expected e.g. cn-north-4 or eu-west-101`);
    }
    const endpointInput = inputs.get('endpoint');
    let dwsEndpoint;
    if (endpointInput)
        dwsEndpoint = parseBaseUrl(endpointInput, 'endpoint');
    else if (region)
        dwsEndpoint = parseBaseUrl(dwsEndpointFor(region), 'region');
    else
        throw new input_error_InputError('region', 'a region (or an endpoint) is required; it may also come from env HUAWEI_CLOUD_REGION');
    const projectId = inputs.get('project_id') || env.HUAWEI_CLOUD_PROJECT_ID?.trim() || env.HUAWEICLOUD_SDK_PROJECT_ID?.trim() || undefined;
    if (projectId !== undefined && !answers/* PROJECT_ID_PATTERN */.lP.test(projectId)) {
        throw new input_error_InputError('project_id', `${sanitize_quoteInput(projectId)} is not a project ID; expected 32 hex digits (letters, digits, - and _, at most 64)`);
    }
    const iamInput = inputs.get('iam_endpoint');
    let iamEndpoint;
    if (iamInput)
        iamEndpoint = parseBaseUrl(iamInput, 'iam_endpoint');
    else if (projectId === undefined && region)
        iamEndpoint = parseBaseUrl(iamEndpointFor(region), 'region');
    if (projectId === undefined && !region) {
        throw new input_error_InputError('project_id', 'is required when no region is given: the project is looked up by region name');
    }
    const signIn = sourced
        ? { way: 'static', credentials: sourced.credentials }
        : readKeylessInputs(inputs, env, { region, projectId, iamEndpoint: iamInput ? iamEndpoint : undefined });
    return {
        region,
        projectId,
        dwsEndpoint,
        iamEndpoint,
        signIn,
        credentialSource: sourced?.source ?? (signIn.way === 'static' ? 'input' : signIn.way),
        ignoredEnvKeys: sourced ? [] : envKeysPresent(env),
        requestTimeoutMs: inputs.duration('request_timeout', REQUEST_TIMEOUT),
        maxAttempts: inputs.integer('max_attempts', 1, MAX_ATTEMPTS)
    };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __nccwpck_require__(7598);
;// CONCATENATED MODULE: ./src/dws/names.ts
/**
 * The DWS rules for names (snapshots and clusters share them: 4-64 characters, a letter first,
 * then letters, digits, '-' and '_') and snapshot descriptions: making an expanded template
 * acceptable to the service, and saying what was changed. Pure.
 */


/** Nothing valid is left of the expanded name; the action reports it as an error in the input that gave it. */
class names_DwsNameError extends Error {
    expanded;
    sanitised;
    constructor(expanded, sanitised, of = 'snapshot') {
        super(`${sanitize_quoteInput(expanded)} gives ${sanitize_quoteInput(sanitised)} after sanitising, which is shorter than the 4 characters a ${of} name needs ` +
            `(letters, digits, '-' and '_', starting with a letter)`);
        this.expanded = expanded;
        this.sanitised = sanitised;
        this.name = 'DwsNameError';
    }
}
/** What a name that does not start with a letter is given in front: it says what the thing is. */
const names_PREFIX = { snapshot: 'snap-', cluster: 'cluster-' };
const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{3,63}$/;
const NAME_MAX = 64;
const NAME_CUT = 55;
/**
 * Makes an expanded name valid: replace, trim, prefix, shorten, in that order. The hash suffix is taken over the
 * sanitised name before cutting (after the prefix): that is the string that would have been
 * the name, and hashing it keeps two long names distinct whenever their untruncated forms differ.
 */
function names_toDwsName(expanded, of = 'snapshot') {
    const changes = [];
    let name = expanded;
    let runs = 0;
    name = name.replace(/[^A-Za-z0-9_-]+/g, () => {
        runs += 1;
        return '-';
    });
    if (runs > 0) {
        changes.push(`replaced ${runs} run(s) of characters outside [A-Za-z0-9_-] with '-'`);
    }
    const trimmed = name.replace(/^[-_]+|[-_]+$/g, '');
    if (trimmed !== name) {
        changes.push(`trimmed leading/trailing '-' and '_'`);
        name = trimmed;
    }
    // An empty name has no first character to fix: it falls through to the too-short error below.
    if (name.length > 0 && !/^[A-Za-z]/.test(name)) {
        name = `${names_PREFIX[of]}${name}`;
        changes.push(`prefixed '${names_PREFIX[of]}' because a name must start with a letter`);
    }
    if (name.length > NAME_MAX) {
        const hash = createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 8);
        const before = name.length;
        name = `${name.slice(0, NAME_CUT).replace(/[-_]+$/, '')}-${hash}`;
        changes.push(`shortened from ${before} to ${name.length} characters, ending in a hash of the full name`);
    }
    if (name.length < 4)
        throw new names_DwsNameError(expanded, name, of);
    // Guard against a bug in the steps above rather than sending the service a name it will reject.
    if (!NAME_PATTERN.test(name)) {
        throw new Error(`internal error: sanitised name '${name}' does not match ${NAME_PATTERN.source}`);
    }
    return { value: name, changes };
}
/**
 * `base` cut so that `base` + `suffix` is a valid name of at most 64 characters: the suffix (e.g.
 * `-r123456789`, which tells runs apart) is kept whole. `base` is made valid first.
 */
function names_fitName(base, suffix, of = 'snapshot') {
    const valid = names_toDwsName(base, of).value;
    const room = NAME_MAX - suffix.length;
    return names_toDwsName(`${valid.slice(0, room).replace(/[-_]+$/, '')}${suffix}`, of).value;
}
const DESCRIPTION_MAX = 256;
const DESCRIPTION_FORBIDDEN = /[!<>'=&"]/g;
/**
 * Ends every description this action writes: retention deletes only snapshots that carry it, so a
 * hand-made snapshot with a similar name is never touched. Names and descriptions cannot be edited
 * after creation, so the marker cannot be added to a snapshot later (or removed from one).
 */
const DESCRIPTION_MARKER = '[dws-snapshot-action]';
/** True when a description ends with the marker (trailing spaces allowed). */
function hasMarker(description) {
    return description?.trimEnd().endsWith(DESCRIPTION_MARKER) ?? false;
}
/**
 * Removes the characters DWS rejects, cuts to what leaves room for the marker, and appends it. Length
 * is counted in UTF-16 code units (the stricter of the plausible server-side counts, so the result is
 * also <= 256 code points); a cut that would land between the halves of a surrogate pair drops the
 * whole pair.
 */
function toDescription(expanded) {
    const changes = [];
    let removed = 0;
    let text = expanded.replace(DESCRIPTION_FORBIDDEN, () => {
        removed += 1;
        return '';
    });
    if (removed > 0) {
        changes.push(`removed ${removed} character(s) the service rejects (! < > ' = & ")`);
    }
    text = text.trimEnd();
    if (text.endsWith(DESCRIPTION_MARKER))
        text = text.slice(0, -DESCRIPTION_MARKER.length).trimEnd();
    const room = DESCRIPTION_MAX - DESCRIPTION_MARKER.length - (text === '' ? 0 : 1);
    if (text.length > room) {
        const before = text.length;
        let cut = room;
        const last = text.charCodeAt(cut - 1);
        if (last >= 0xd800 && last <= 0xdbff)
            cut -= 1; // high surrogate: its partner is past the cut
        text = text.slice(0, cut);
        changes.push(`cut from ${before} to ${text.length} characters to leave room for the marker ${DESCRIPTION_MARKER}`);
    }
    return { value: text === '' ? DESCRIPTION_MARKER : `${text} ${DESCRIPTION_MARKER}`, changes };
}
/**
 * The start every name made from a template with this literal prefix has, after the same repairs
 * toDwsName makes: runs of other characters become '-', leading '-'/'_' go, a first character
 * that is not a letter gets 'snap-', and a long name keeps only its first 55 characters (without
 * the '-'/'_' a cut leaves at its end). '' when the template starts with a token, or nothing of its
 * prefix survives.
 */
function sanitisedPrefix(literal) {
    let prefix = literal.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[-_]+/, '');
    if (prefix === '')
        return '';
    if (!/^[A-Za-z]/.test(prefix))
        prefix = `${names_PREFIX.snapshot}${prefix}`;
    return prefix.length >= NAME_CUT ? prefix.slice(0, NAME_CUT).replace(/[-_]+$/, '') : prefix;
}

;// CONCATENATED MODULE: ./src/kernel/duration.ts
/**
 * The one grammar of durations, for the action's inputs and the emulator's flags: `90s`, `45m`, `2h`,
 * `1h30m`, `1h30m15s`; where days make sense `30d`, `1d12h`; where milliseconds do `500ms`. Pure.
 * Deliberately strict (lower-case units, largest first, each at most once, whole numbers, no spaces
 * inside) so that a typo is refused instead of silently meaning another time.
 */
const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
/** Milliseconds; undefined when `text` is not a duration of the allowed units; Infinity when it is one too long to count. */
function parseDuration(text, units = {}) {
    const names = [...(units.days ? ['d'] : []), 'h', 'm', 's', ...(units.milliseconds ? ['ms'] : [])];
    const m = new RegExp(`^${names.map((unit) => `(?:(\\d+)${unit})?`).join('')}$`).exec(text.trim());
    // Every part is optional, so the pattern also matches '': at least one is required.
    if (m === null || text.trim() === '')
        return undefined;
    let ms = 0;
    names.forEach((unit, i) => (ms += Number(m[i + 1] ?? 0) * UNIT_MS[unit]));
    return Number.isSafeInteger(ms) ? ms : Number.POSITIVE_INFINITY;
}
/** What the grammar accepts, for an error message. */
function durationForm(units = {}) {
    const examples = units.days ? `'30d', '12h', '1d12h' or '90m'` : `'90s', '45m', '2h' or '1h30m'`;
    const order = [units.days ? 'd' : '', 'h, m, s', units.milliseconds ? 'ms' : ''].filter(Boolean).join(', ');
    return `a duration such as ${examples} (whole numbers; units ${order} in that order)`;
}

;// CONCATENATED MODULE: ./src/action/inputs/reader.ts
/**
 * Reading an action's inputs: trimmed, with action.yml's defaults, and typed (booleans, whole
 * numbers, choices, durations) with an error that names the input and what is wrong. Pure: the
 * runner's reader and the metadata are passed in.
 */



class Inputs {
    read;
    metadata;
    constructor(read, metadata) {
        this.read = read;
        this.metadata = metadata;
    }
    /** The trimmed value, '' when not given. Only declared inputs can be read: a typo here is a bug. */
    get(name) {
        if (!this.metadata.inputs.includes(name))
            throw new Error(`internal error: '${name}' is not an input in action.yml`);
        return this.read(name).trim();
    }
    /** The value, or action.yml's default when not given. */
    orDefault(name) {
        const value = this.get(name);
        if (value)
            return value;
        const fallback = this.metadata.defaults[name];
        if (fallback === undefined)
            throw new Error(`internal error: input '${name}' has no default in action.yml`);
        return fallback;
    }
    boolean(name) {
        const value = this.orDefault(name);
        // The YAML 1.2 core-schema spellings, as @actions/core's getBooleanInput accepts them.
        if (['true', 'True', 'TRUE'].includes(value))
            return true;
        if (['false', 'False', 'FALSE'].includes(value))
            return false;
        throw new input_error_InputError(name, `${sanitize_quoteInput(value)} is not a boolean; use true or false`);
    }
    /** A whole number in [min, max]; `value` when the caller has it from elsewhere. */
    integer(name, min, max, value = this.orDefault(name)) {
        if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
            throw new input_error_InputError(name, `${sanitize_quoteInput(value)} must be a whole number from ${min} to ${max}`);
        }
        return Number(value);
    }
    choice(name, choices) {
        const value = this.orDefault(name);
        const found = choices.find((c) => c === value.toLowerCase());
        if (!found)
            throw new input_error_InputError(name, `${sanitize_quoteInput(value)} is not one of: ${choices.join(', ')}`);
        return found;
    }
    /** Milliseconds within [range.min, range.max] (each said in the error as written, e.g. '5s'). */
    duration(name, range, units = {}) {
        return readDuration(this.orDefault(name), name, range, units);
    }
}
function readDuration(text, input, range, units = {}) {
    const ms = parseDuration(text, units);
    if (ms === undefined)
        throw new input_error_InputError(input, `${sanitize_quoteInput(text)} is not ${durationForm(units)}`);
    if (ms === Number.POSITIVE_INFINITY)
        throw new input_error_InputError(input, `${sanitize_quoteInput(text)} is too long a duration`);
    const { min, max } = range;
    if (ms < min.ms || (max !== undefined && ms > max.ms)) {
        const bounds = max === undefined ? `at least ${min.text}` : `between ${min.text} and ${max.text}`;
        throw new input_error_InputError(input, `must be ${bounds} (got ${sanitize_quoteInput(text)})`);
    }
    return ms;
}
/** The entries of a list input: split on line breaks (and commas, where entries cannot hold one), trimmed, empty ones dropped. */
function reader_listEntries(text, commas = true) {
    return text
        .split(commas ? /[\n,]/ : /\n/)
        .map((entry) => entry.trim())
        .filter((entry) => entry !== '');
}

;// CONCATENATED MODULE: ./src/action/inputs/template.ts
/**
 * Name and description templates: `{token}` expansion. Pure (no I/O): the caller builds the
 * WorkflowContext; what DWS accepts as a name is dws/names.ts's business.
 *
 * Template syntax:
 * - `{token}` is replaced by the token's value; names are case-sensitive and exact (`{ sha }` is unknown).
 * - `{{` and `}}` stand for a literal `{` and `}` (in a name they then become `-` like any other character).
 * - A `{` without its `}`, or a lone `}`, is an input error rather than being passed through, so a typo
 *   such as `{sha7` fails loudly instead of producing a surprising name.
 * - A token whose value is undefined or empty in this run is an error: an empty value would silently
 *   merge neighbouring parts of the name and could collide with another run's name.
 */



const TEMPLATE_TOKENS = Object.freeze([
    'repo',
    'owner',
    'repository',
    'ref_name',
    'sha',
    'sha7',
    'run_id',
    'run_number',
    'run_attempt',
    'workflow',
    'job',
    'event',
    'actor',
    'pr_number',
    'cluster_id',
    'cluster_name',
    'cluster_short',
    'date',
    'time',
    'timestamp'
]);
/** The restore action's cluster name template also knows the snapshot it restores. */
const template_RESTORE_TOKENS = Object.freeze([...TEMPLATE_TOKENS, 'snapshot_name']);
function present(value) {
    return value === undefined || value === '' ? undefined : value;
}
const pad = (n, width = 2) => String(n).padStart(width, '0');
/** Values for every token; undefined where this run has none (expandTemplate reports it if used). */
function template_tokenValues(ctx, cluster, now) {
    const repository = present(ctx.repository);
    // Only a well-formed 'owner/repo' yields owner and repo; anything else leaves them unavailable.
    const slash = repository?.indexOf('/') ?? -1;
    const owner = repository !== undefined && slash > 0 ? repository.slice(0, slash) : undefined;
    const repo = repository !== undefined && slash > 0 ? present(repository.slice(slash + 1)) : undefined;
    const sha = present(ctx.sha);
    const date = `${pad(now.getUTCFullYear(), 4)}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`;
    const time = `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
    return {
        repo,
        owner,
        repository,
        ref_name: present(ctx.refName),
        sha,
        sha7: sha?.slice(0, 7),
        run_id: present(ctx.runId),
        run_number: present(ctx.runNumber),
        run_attempt: present(ctx.runAttempt),
        workflow: present(ctx.workflow),
        job: present(ctx.job),
        event: present(ctx.eventName),
        actor: present(ctx.actor),
        pr_number: present(ctx.prNumber),
        cluster_id: present(cluster.id),
        cluster_name: present(cluster.name),
        // Its first 8 hex digits: enough to tell a project's clusters apart in a name, at a fifth of the length.
        cluster_short: present(cluster.id.slice(0, 8)),
        date,
        time,
        timestamp: `${date}T${time}Z`
    };
}
function validTokensList(tokens) {
    return tokens.map((t) => `{${t}}`).join(', ');
}
/** The one reader of the template syntax; `input` names the input in its errors. */
function template_tokenize(template, input, tokens = TEMPLATE_TOKENS) {
    const parts = [];
    let text = '';
    let i = 0;
    while (i < template.length) {
        const ch = template.charAt(i);
        const next = template.charAt(i + 1);
        if ((ch === '{' || ch === '}') && next === ch) {
            text += ch;
            i += 2;
        }
        else if (ch === '{') {
            const end = template.indexOf('}', i + 1);
            if (end < 0) {
                throw new input_error_InputError(input, `unterminated '{' at position ${i + 1} in ${sanitize_quoteInput(template)}; write '{{' for a literal brace. Valid tokens: ${validTokensList(tokens)}`);
            }
            const token = template.slice(i + 1, end);
            if (!tokens.includes(token)) {
                const [closest] = did_you_mean_closestMatches(token.trim(), tokens, { most: 1 });
                const guess = closest === undefined ? '' : ` (did you mean {${closest}}?)`;
                throw new input_error_InputError(input, `unknown token ${sanitize_quoteInput(`{${token}}`)}${guess}. Valid tokens: ${validTokensList(tokens)}`);
            }
            if (text)
                parts.push({ text });
            parts.push({ token });
            text = '';
            i = end + 1;
        }
        else if (ch === '}') {
            throw new input_error_InputError(input, `unmatched '}' at position ${i + 1} in ${sanitize_quoteInput(template)}; write '}}' for a literal brace`);
        }
        else {
            text += ch;
            i += 1;
        }
    }
    if (text)
        parts.push({ text });
    return parts;
}
/** Replaces `{token}`s; `input` is the input's name (`name` or `description`) for error messages. */
function template_expandTemplate(template, values, input, tokens = TEMPLATE_TOKENS) {
    return template_tokenize(template, input, tokens)
        .map((part) => {
        if (part.token === undefined)
            return part.text;
        const value = values[part.token];
        if (value === undefined || value === '') {
            throw new input_error_InputError(input, `token '{${part.token}}' has no value in this run${TOKEN_NOTES[part.token] ?? ''}. Valid tokens: ${validTokensList(tokens)}`);
        }
        return value;
    })
        .join('');
}
/** Why a token can lack a value, where that is not obvious. */
const TOKEN_NOTES = {
    pr_number: ' (it is only set for pull request events)',
    cluster_name: ' (the service names no such cluster)'
};
/** The template's literal text before its first token: the part every expansion shares. The whole template when it has no token. */
function literalPrefix(template, input) {
    const parts = template_tokenize(template, input);
    const first = parts.findIndex((part) => part.token !== undefined);
    return (first < 0 ? parts : parts.slice(0, first)).map((part) => part.text ?? '').join('');
}
/** Whether the template uses the token. */
function usesToken(template, token, input) {
    return template_tokenize(template, input).some((part) => part.token === token);
}

;// CONCATENATED MODULE: ./src/action/inputs/restore.ts
/**
 * The restore action's inputs → one validated RestoreConfig, before any request. Pure: every error
 * names the input to fix. The cloud inputs (region, credentials, ...) are the snapshot action's.
 */








const SECOND = 1000;
const POLL_INTERVAL = { min: { ms: 5 * SECOND, text: '5s' } };
const WAIT_TIMEOUT = { min: { ms: SECOND, text: '1s' }, max: { ms: 72 * 3600 * SECOND, text: '72h' } };
const NEW_CLUSTER_INPUTS = (/* unused pure expression or super */ null && ([
    'cluster_name',
    'vpc_id',
    'subnet_id',
    'security_group_id',
    'availability_zone',
    'port',
    'enterprise_project_id'
]));
const TABLES_INPUTS = (/* unused pure expression or super */ null && (['tables', 'database', 'case_sensitive']));
function restore_readRestoreConfig(inputs, env) {
    const snapshot = readSnapshotChoice(inputs, env);
    const mode = inputs.choice('mode', ['new-cluster', 'tables']);
    const keep = inputs.boolean('keep');
    // Inputs of the other mode would be silently ignored: a slip worth stopping for.
    // An input left at its default (case_sensitive: false, public_ip: none) changes nothing, so it may stay.
    const given = (name) => inputs.get(name) !== '' && inputs.get(name).toLowerCase() !== inputs.metadata.defaults[name];
    const stray = [...(mode === 'tables' ? NEW_CLUSTER_INPUTS : TABLES_INPUTS), mode === 'tables' ? 'public_ip' : ''].find((name) => name !== '' && given(name));
    if (stray !== undefined)
        throw new InputError(stray, `is not used with mode: ${mode}; remove it, or set mode to ${otherMode(mode)}`);
    if (mode === 'tables' && !keep) {
        throw new InputError('keep', 'false deletes a new cluster, and mode: tables makes none; remove it');
    }
    const cloud = readCloudConfig(inputs, env);
    return {
        snapshot,
        newCluster: mode === 'new-cluster' ? readNewCluster(inputs) : undefined,
        tables: mode === 'tables' ? readTables(inputs) : undefined,
        keep,
        dryRun: inputs.boolean('dry_run'),
        wait: inputs.boolean('wait'),
        waitTimeoutMs: inputs.duration('wait_timeout', WAIT_TIMEOUT),
        pollIntervalMs: inputs.duration('poll_interval', POLL_INTERVAL),
        cloud
    };
}
function otherMode(mode) {
    return mode === 'tables' ? 'new-cluster' : 'tables';
}
/** snapshot_id, or snapshot_name with cluster_id. */
function readSnapshotChoice(inputs, env) {
    const id = inputs.get('snapshot_id');
    const name = inputs.get('snapshot_name');
    const clusterId = inputs.get('cluster_id');
    if (id && name)
        throw new InputError('snapshot_name', 'give either snapshot_id or snapshot_name (with cluster_id), not both');
    if (id) {
        if (clusterId)
            throw new InputError('cluster_id', 'is only used with snapshot_name: snapshot_id names the snapshot alone');
        return { id: uuid(id, 'snapshot_id', 'a snapshot ID') };
    }
    if (!name && clusterId) {
        throw new InputError('snapshot_name', 'is required but empty: with cluster_id, it names the snapshot among that cluster’s (or give snapshot_id alone)', emptyInputHint(env, inputs.metadata.inputs, 'snapshot_name', ['snapshot_name', 'snapshot_id']));
    }
    if (!name) {
        throw new InputError('snapshot_id', 'is required but empty: give the ID of the snapshot to restore (e.g. steps.<id>.outputs.snapshot_id), or snapshot_name with cluster_id', "If it comes from ${{ steps.<id>.outputs.snapshot_id }}, check that <id> is the snapshot step's id and that the step ran and succeeded: " +
            'a misspelt, skipped or failed step gives an empty string, without an error. ' +
            emptyInputHint(env, inputs.metadata.inputs, 'snapshot_id', ['snapshot_id', 'snapshot_name']));
    }
    if (name.length > 64 || /[\s'"]/.test(name))
        throw new InputError('snapshot_name', `${quoteInput(name)} is not a snapshot name`);
    if (!clusterId)
        throw new InputError('cluster_id', 'is required with snapshot_name: the snapshot is looked up among that cluster’s');
    return { name, clusterId: uuid(clusterId, 'cluster_id', 'a cluster ID') };
}
function uuid(value, input, what) {
    if (!UUID_PATTERN.test(value))
        throw new InputError(input, `${quoteInput(value)} is not ${what}; expected a UUID`);
    return value.toLowerCase();
}
/** An availability zone as the service names them: cn-north-4a, eu-west-101b. */
const ZONE = /^[a-z0-9][a-z0-9-]{0,63}$/;
function readNewCluster(inputs) {
    const template = inputs.get('cluster_name');
    // The template's syntax and tokens are checked now; it is expanded once the snapshot is known.
    const parts = template ? tokenize(template, 'cluster_name', RESTORE_TOKENS) : [];
    // A name without tokens is known already: one that can never be valid is refused before any request.
    if (parts.length > 0 && parts.every((part) => 'text' in part))
        literalClusterName(parts.map((part) => part.text).join(''));
    // Only what is given is sent: the service takes the rest from the source cluster.
    const settings = {};
    const readInput = (input) => {
        const value = inputs.get(input);
        return value ? uuid(value, input, 'an ID') : undefined;
    };
    settings.vpcId = readInput('vpc_id');
    settings.subnetId = readInput('subnet_id');
    settings.securityGroupId = readInput('security_group_id');
    const zone = inputs.get('availability_zone');
    if (zone && !ZONE.test(zone))
        throw new InputError('availability_zone', `${quoteInput(zone)} is not an availability zone, e.g. cn-north-4a`);
    if (zone)
        settings.availabilityZone = zone;
    const port = inputs.get('port');
    if (port)
        settings.port = inputs.integer('port', 8000, 30000, port);
    const publicIp = inputs.orDefault('public_ip');
    const word = publicIp.toLowerCase();
    if (word === 'auto')
        settings.publicIp = { bind: 'auto_assign' };
    else if (word !== 'none') {
        settings.publicIp = { bind: 'bind_existing', eipId: uuid(publicIp, 'public_ip', "'none', 'auto' or the ID of an elastic IP") };
    }
    const project = inputs.get('enterprise_project_id');
    if (project)
        settings.enterpriseProjectId = project === '0' ? '0' : uuid(project, 'enterprise_project_id', "'0' or an enterprise project ID");
    return { nameTemplate: template || undefined, settings };
}
function literalClusterName(name) {
    try {
        toDwsName(name, 'cluster');
    }
    catch (error) {
        if (error instanceof DwsNameError)
            throw new InputError('cluster_name', error.message);
        throw error;
    }
}
/** GaussDB's unquoted identifiers, as the table restore takes them: a letter or '_', then letters, digits, '_' or '$', at most 63. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;
const MAX_TABLES = 100;
function readTables(inputs) {
    const text = inputs.get('tables');
    const database = inputs.get('database');
    if (!text)
        throw new InputError('tables', 'is required with mode: tables: one schema.table per line (or schema.table -> schema.new_table)');
    if (!database)
        throw new InputError('database', 'is required with mode: tables: the database the tables are in');
    if (!IDENTIFIER.test(database))
        throw new InputError('database', `${quoteInput(database)} is not a database name`);
    const caseSensitive = inputs.boolean('case_sensitive');
    const lines = listEntries(text, false);
    if (lines.length > MAX_TABLES)
        throw new InputError('tables', `names ${lines.length} tables; at most ${MAX_TABLES} per step`);
    const tables = lines.map((line) => {
        const [from = '', to, ...more] = line.split('->').map((part) => part.trim());
        if (more.length > 0)
            throw new InputError('tables', `${quoteInput(line)} has more than one '->'`);
        const source = tableName(from, line);
        return { source, target: to === undefined ? source : tableName(to, line) };
    });
    const key = (t) => (caseSensitive ? `${t.schema}.${t.table}` : `${t.schema}.${t.table}`.toLowerCase());
    const targets = tables.map((t) => key(t.target));
    const twice = targets.findIndex((target, i) => targets.indexOf(target) !== i);
    if (twice >= 0) {
        const first = tables[targets.indexOf(targets[twice] ?? '')]?.target;
        const again = tables[twice]?.target;
        const written = (t) => `'${t?.schema ?? ''}.${t?.table ?? ''}'`;
        const how = written(first) === written(again)
            ? written(first)
            : `${written(first)} and ${written(again)}, the same table as case_sensitive is false`;
        throw new InputError('tables', `restores two tables into ${how}`);
    }
    return { database, caseSensitive, tables };
}
function tableName(text, line) {
    const [schema = '', table, ...more] = text.split('.');
    if (table === undefined || more.length > 0 || !IDENTIFIER.test(schema) || !IDENTIFIER.test(table)) {
        throw new InputError('tables', `${quoteInput(line)}: ${quoteInput(text)} is not schema.table (letters, digits, '_' and '$', starting with a letter or '_', at most 63 each)`);
    }
    return { schema, table };
}

;// CONCATENATED MODULE: ./package.json
const package_namespaceObject = {"rE":"1.0.0"};
// EXTERNAL MODULE: ./src/auth/github-id-token.ts
var github_id_token = __nccwpck_require__(6325);
;// CONCATENATED MODULE: ./src/auth/static.ts
/** `registerSecret` is told every secret value at once, so it is masked before any request. */
function staticCredentials(credentials, registerSecret) {
    const secrets = credentials.kind === 'token'
        ? [credentials.token]
        : [credentials.accessKeyId, credentials.secretAccessKey, credentials.securityToken ?? ''];
    for (const secret of secrets)
        if (secret)
            registerSecret(secret);
    return {
        get: () => Promise.resolve(credentials),
        invalidate: () => undefined
    };
}

;// CONCATENATED MODULE: ./src/auth/select.ts

function credentialProvider(signIn, deps) {
    switch (signIn.way) {
        case 'static':
            return staticCredentials(signIn.credentials, deps.registerSecret);
        case 'oidc-sts':
            return loadedOnFirstUse(async () => (await __nccwpck_require__.e(/* import() */ 998).then(__nccwpck_require__.bind(__nccwpck_require__, 4998))).oidcStsCredentials(signIn, deps));
        case 'oidc-iam':
            return loadedOnFirstUse(async () => (await __nccwpck_require__.e(/* import() */ 829).then(__nccwpck_require__.bind(__nccwpck_require__, 5829))).oidcIamCredentials(signIn, deps));
    }
}
/** A provider whose module is loaded by the first request; before that there is nothing to invalidate. */
function loadedOnFirstUse(load) {
    let loading;
    let provider;
    return {
        get: async () => {
            provider ??= await (loading ??= load());
            return provider.get();
        },
        invalidate: () => provider?.invalidate()
    };
}

;// CONCATENATED MODULE: ./src/auth/session-name.ts
/** The agency session name STS accepts: 2–128 of letters, digits and `_+=,.@-`. Pure. */
const ALLOWED = /[A-Za-z0-9_+=,.@-]/;
const SESSION_NAME_MAX = 128;
const SESSION_NAME_MIN = 2;
class SessionNameError extends Error {
}
/** The expanded template made valid: other characters become '-', and it is cut at 128. */
function toSessionName(expanded) {
    const changes = [];
    let value = Array.from(expanded, (ch) => (ALLOWED.test(ch) ? ch : '-')).join('');
    if (value !== expanded)
        changes.push("characters other than letters, digits and _+=,.@- became '-'");
    if (value.length > SESSION_NAME_MAX) {
        value = value.slice(0, SESSION_NAME_MAX);
        changes.push(`cut to ${SESSION_NAME_MAX} characters`);
    }
    if (value.length < SESSION_NAME_MIN) {
        throw new SessionNameError(`'${value}' is too short for a session name: at least ${SESSION_NAME_MIN} characters`);
    }
    return { value, changes };
}

// EXTERNAL MODULE: ./src/cloud/errors.ts
var errors = __nccwpck_require__(1246);
// EXTERNAL MODULE: ./src/cloud/retry.ts
var cloud_retry = __nccwpck_require__(6451);
;// CONCATENATED MODULE: ./src/cloud/signer.ts
/**
 * Huawei Cloud AK/SK request signing (`SDK-HMAC-SHA256`), as used by API Gateway in front of DWS.
 *
 * Pure: no I/O. The same functions serve the client (signRequest) and the emulator, which recomputes the
 * signature of a received request; both start from a WHATWG URL, so they agree on the canonical form.
 */

const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';
/** Headers the signer sets itself; a caller supplying them would send a second, conflicting copy. */
const SIGNER_OWNED_HEADERS = new Set(['host', 'x-sdk-date', 'x-security-token', 'authorization']);
/** UTC 'YYYYMMDDTHHMMSSZ' (basic ISO 8601, no milliseconds). */
function formatSdkDate(date) {
    // toISOString throws a RangeError on an invalid Date, which is what we want.
    return date
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z')
        .replace(/[-:]/g, '');
}
/** RFC 3986 encoding over UTF-8 bytes: only A-Z a-z 0-9 - . _ ~ stay literal; hex is upper case. */
function encodeRfc3986(value) {
    let out = '';
    // Buffer.from replaces a lone surrogate with U+FFFD instead of throwing like encodeURIComponent.
    for (const byte of Buffer.from(value, 'utf8')) {
        const unreserved = (byte >= 0x41 && byte <= 0x5a) || // A-Z
            (byte >= 0x61 && byte <= 0x7a) || // a-z
            (byte >= 0x30 && byte <= 0x39) || // 0-9
            byte === 0x2d ||
            byte === 0x2e ||
            byte === 0x5f ||
            byte === 0x7e; // - . _ ~
        out += unreserved ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    return out;
}
/**
 * Percent-decoding that never throws (like Python's urllib unquote): runs of valid %XX escapes are
 * decoded as UTF-8 (invalid sequences become U+FFFD), and a '%' not followed by two hex digits stays.
 */
function lenientDecode(value) {
    return value.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'));
}
/**
 * Canonical URI: the path decoded, split on '/', each segment RFC 3986-encoded, always ending with '/'.
 *
 * Decoding first makes the result depend only on the path's meaning, not on how the sender escaped it:
 * `/a b`, `/a%20b` and `/%61%20b` all sign as `/a%20b/`. A WHATWG URL (client) and the raw request line
 * (emulator) therefore agree, and so do Huawei's Python/Go signers and the gateway (they sign the decoded
 * path). The Node SDK encodes the path it is given without decoding it; it agrees with this for the raw,
 * unescaped paths it is normally given, and double-encodes ('%2520') an already-escaped one.
 */
function canonicalUri(pathname) {
    const path = lenientDecode(pathname).split('/').map(encodeRfc3986).join('/');
    return path.endsWith('/') ? path : `${path}/`;
}
/** Code-unit order, as the Node SDK's default sort() (and Java's String.compareTo). */
function compareStrings(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
/**
 * Canonical query from a URL's raw search string ('?a=1&b=2' or ''): each pair decoded with form
 * semantics ('+' is a space, as URLSearchParams and the gateway read it), sorted by decoded name then
 * decoded value (as the official SDKs sort the raw parameters), then each name and value RFC 3986-encoded
 * (space = %20) and joined as `name=value` with '&'. A parameter without '=' signs as `name=`.
 */
function canonicalQuery(search) {
    const pairs = [...new URLSearchParams(search)];
    pairs.sort(([nameA, valueA], [nameB, valueB]) => compareStrings(nameA, nameB) || compareStrings(valueA, valueB));
    return pairs.map(([name, value]) => `${encodeRfc3986(name)}=${encodeRfc3986(value)}`).join('&');
}
function sha256Hex(data) {
    return (0,external_node_crypto_.createHash)('sha256').update(data, 'utf8').digest('hex');
}
/** Lower-cases names (rejecting two that differ only in case, which would be ambiguous) and trims values. */
function normaliseHeaders(headers) {
    const normalised = new Map();
    for (const [name, value] of Object.entries(headers)) {
        const lower = name.toLowerCase();
        if (normalised.has(lower))
            throw new Error(`Header "${lower}" is given more than once (names are case-insensitive)`);
        // HTTP strips surrounding whitespace from field values, so the receiver only ever sees the trimmed value.
        normalised.set(lower, value.trim());
    }
    return normalised;
}
/**
 * The canonical request. `signedHeaders` maps the lower-case name of EVERY signed header (host and
 * x-sdk-date included) to its value; the path and query come from `url` exactly as sent or received.
 */
function canonicalRequest(method, url, signedHeaders, body) {
    const headers = [...normaliseHeaders(signedHeaders)].sort(([a], [b]) => compareStrings(a, b));
    return [
        method.toUpperCase(),
        canonicalUri(url.pathname),
        canonicalQuery(url.search),
        // Each header line ends with '\n', so the block is followed by an empty line before SignedHeaders.
        headers.map(([name, value]) => `${name}:${value}\n`).join(''),
        headers.map(([name]) => name).join(';'),
        sha256Hex(body)
    ].join('\n');
}
function stringToSign(canonical, sdkDate) {
    return `${SIGNING_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonical)}`;
}
/** Hex HMAC-SHA256 of the string to sign, keyed with the secret key itself (no key derivation). */
function signature(stringToSign, secretAccessKey) {
    return (0,external_node_crypto_.createHmac)('sha256', secretAccessKey).update(stringToSign, 'utf8').digest('hex');
}
/**
 * Signs a request. Returns only the headers to ADD: 'X-Sdk-Date', 'Authorization' and, with temporary
 * credentials, 'X-Security-Token'. The caller sends them together with `req.headers` and `req.body`.
 */
function signRequest(req, credentials, date) {
    // Messages never include key material.
    if (!credentials.accessKeyId)
        throw new Error('Cannot sign the request: the access key id is empty');
    if (!credentials.secretAccessKey)
        throw new Error('Cannot sign the request: the secret access key is empty');
    const headers = normaliseHeaders(req.headers);
    for (const name of headers.keys()) {
        if (SIGNER_OWNED_HEADERS.has(name))
            throw new Error(`Header "${name}" is set by the signer; do not pass it`);
    }
    const sdkDate = formatSdkDate(date);
    const added = { 'X-Sdk-Date': sdkDate };
    headers.set('host', req.url.host);
    headers.set('x-sdk-date', sdkDate);
    if (credentials.securityToken) {
        added['X-Security-Token'] = credentials.securityToken;
        headers.set('x-security-token', credentials.securityToken);
    }
    const signed = Object.fromEntries(headers);
    const canonical = canonicalRequest(req.method, req.url, signed, req.body);
    const sig = signature(stringToSign(canonical, sdkDate), credentials.secretAccessKey);
    const signedNames = Object.keys(signed).sort(compareStrings).join(';');
    added['Authorization'] = `${SIGNING_ALGORITHM} Access=${credentials.accessKeyId}, SignedHeaders=${signedNames}, Signature=${sig}`;
    return added;
}
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;
/**
 * Parses `SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h1;h2>, Signature=<hex>` (parameters in any order,
 * each exactly once). The algorithm is returned as given, for the caller to check. Header names are
 * lower-cased. Returns undefined when the value is malformed.
 */
function parseAuthorization(value) {
    const match = /^\s*(\S+)\s+(.*?)\s*$/s.exec(value);
    if (!match)
        return undefined;
    const [, algorithm = '', rest = ''] = match;
    const params = new Map();
    for (const part of rest.split(',')) {
        const eq = part.indexOf('=');
        if (eq < 0)
            return undefined;
        const key = part.slice(0, eq).trim();
        if (params.has(key))
            return undefined;
        params.set(key, part.slice(eq + 1).trim());
    }
    const accessKeyId = params.get('Access');
    const signedHeadersValue = params.get('SignedHeaders');
    const sig = params.get('Signature');
    if (params.size !== 3 || !accessKeyId || !signedHeadersValue || !sig)
        return undefined;
    if (/\s/.test(accessKeyId) || !/^[0-9a-fA-F]{64}$/.test(sig))
        return undefined;
    const signedHeaders = signedHeadersValue.toLowerCase().split(';');
    if (!signedHeaders.every((name) => HEADER_NAME.test(name)) || new Set(signedHeaders).size !== signedHeaders.length) {
        return undefined;
    }
    return { algorithm, accessKeyId, signedHeaders, signature: sig };
}

;// CONCATENATED MODULE: ./src/cloud/json-scanner.ts
/**
 * A JSON scanner fed in chunks, for answers too big (or too hostile) to hold whole. It checks the
 * grammar byte by byte as JSON.parse would, keeps no more state than the kinds of the open
 * containers (at most maxDepth of them), and copies into one buffer only the values its listener
 * asks for, leaving out the whitespace between their tokens. Pure.
 *
 * Every structural character of JSON is ASCII and no byte of a multi-byte UTF-8 character is, so
 * the bytes are scanned without decoding them, wherever a chunk splits a character; a captured
 * value is decoded and parsed whole once its last byte has arrived.
 *
 * Errors never quote the answer beyond one printable ASCII character: it may hold credentials.
 */
/** What an answer was found to break. `offset` counts bytes from the start of the (decoded) body, from 0. */
class AnswerReadError extends Error {
    offset;
    constructor(message, offset) {
        super(message);
        this.offset = offset;
        this.name = 'AnswerReadError';
    }
}
/** Not JSON: a byte the grammar does not allow there, or a body that ends before its value does. */
class MalformedAnswerError extends AnswerReadError {
    endedEarly;
    constructor(detail, offset, 
    /** the body ended in the middle of the value */
    endedEarly) {
        super(endedEarly ? `the answer ends early, at byte ${offset} (${detail})` : `the answer is not valid JSON at byte ${offset}: ${detail}`, offset);
        this.endedEarly = endedEarly;
        this.name = 'MalformedAnswerError';
    }
}
/** A part of the answer passed its cap: reading stopped there, before anything more was kept. */
class AnswerTooLargeError extends AnswerReadError {
    part;
    limit;
    size;
    constructor(part, 
    /** the cap, in bytes */
    limit, 
    /** bytes of that part read before stopping: more than `limit` */
    size, 
    /** where the cap was passed */
    offset, 
    /** what the part was, e.g. `item 12 of "snapshots"` */
    description) {
        super(`${description} is larger than ${formatBytes(limit)} (the cap was passed at byte ${offset})`, offset);
        this.part = part;
        this.limit = limit;
        this.size = size;
        this.name = 'AnswerTooLargeError';
    }
}
/** Arrays or objects nested deeper than the cap: no real answer comes near it, so the answer is hostile or broken. */
class AnswerTooDeepError extends AnswerReadError {
    limit;
    constructor(limit, offset) {
        super(`the answer nests arrays and objects more than ${limit} deep (at byte ${offset})`, offset);
        this.limit = limit;
        this.name = 'AnswerTooDeepError';
    }
}
function formatBytes(bytes) {
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0)
        return `${bytes / (1024 * 1024)} MiB`;
    if (bytes >= 1024 && bytes % 1024 === 0)
        return `${bytes / 1024} KiB`;
    return `${bytes} bytes`;
}
// Where the scanner is. Below STRING: between tokens, what the grammar expects next.
const VALUE = 0; // the answer's value, a member's value after ':', an item after ','
const FIRST_ITEM = 1; // an item or ']' just after '['
const FIRST_NAME = 2; // a member name or '}' just after '{'
const NAME = 3; // a member name after ','
const COLON = 4;
const NEXT = 5; // ',' or the closer after an item or a member
const DONE = 6; // only whitespace after the answer
const STRING = 7;
const ESCAPE = 8; // after a backslash
const UNICODE = 9; // in the four hex digits of \u
const NUMBER = 10;
const LITERAL = 11; // true, false, null
// Where in a number: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
const N_MINUS = 0;
const N_ZERO = 1;
const N_INT = 2;
const N_DOT = 3;
const N_FRACTION = 4;
const N_E = 5;
const N_E_SIGN = 6;
const N_EXPONENT = 7;
/** The number states after which a number is complete: 0, digits, a fraction's digits, an exponent's digits. */
const NUMBER_MAY_END = Uint8Array.of(0, 1, 1, 0, 1, 0, 0, 1);
const IN_ARRAY = 1;
const IN_OBJECT = 2;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON_BYTE = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const ZERO = 0x30;
const NINE = 0x39;
const DOT = 0x2e;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const LOWER_U = 0x75;
/** Runs this short are copied byte by byte: cheaper than Buffer.copy's call for a number or a short name. */
const SHORT_RUN = 32;
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');
const EMPTY = Buffer.alloc(0);
/** JSON's whitespace: space, tab, line feed, carriage return (nothing else, as in JSON.parse). */
function isSpace(c) {
    return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
function isDigit(c) {
    return c >= ZERO && c <= NINE;
}
const HEX = byteSet('0123456789abcdefABCDEF');
/** The characters that may follow a backslash (u starts a \uXXXX). */
const ESCAPABLE = byteSet('"\\/bfnrtu');
function byteSet(chars) {
    const set = new Uint8Array(256);
    for (const c of Buffer.from(chars))
        set[c] = 1;
    return set;
}
/** The type of a value from its first byte; undefined when no value starts so. */
function typeStartingWith(c) {
    if (c === OPEN_BRACE)
        return 'object';
    if (c === OPEN_BRACKET)
        return 'array';
    if (c === QUOTE)
        return 'string';
    if (c === MINUS || isDigit(c))
        return 'number';
    if (c === TRUE[0] || c === FALSE[0])
        return 'boolean';
    if (c === NULL[0])
        return 'null';
    return undefined;
}
/** One byte as an error may show it: a printable ASCII character, or its code. Never more of the answer. */
function describeByte(c) {
    return c > 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `the byte 0x${c.toString(16).padStart(2, '0')}`;
}
class JsonScanner {
    listener;
    limits;
    /** bytes written so far */
    received = 0;
    /** the largest the capture buffer has been, in bytes: what the scanner itself held at most */
    maxBuffered = 0;
    state = VALUE;
    numberState = N_MINUS;
    literal = TRUE;
    literalAt = 0;
    hexLeft = 0;
    /** the string being read is a member name */
    inName = false;
    /** IN_ARRAY or IN_OBJECT for each open container, outermost first */
    open;
    depth = 0;
    capturing = false;
    capturingName = false;
    /** containers open when the captured value started */
    captureDepth = 0;
    captureLimit = 0;
    captured = 0;
    buffer = EMPTY;
    /** the start in the current chunk of the bytes still to be copied into the capture, -1 when none */
    run = -1;
    /** received before the current chunk */
    chunkOffset = 0;
    failure;
    ended = false;
    constructor(listener, limits) {
        this.listener = listener;
        this.limits = limits;
        this.open = new Uint8Array(limits.maxDepth);
    }
    write(chunk) {
        this.guard(() => this.scan(chunk));
    }
    /** True when the body held a value, false when it was empty (or only whitespace). */
    end() {
        return this.guard(() => {
            this.ended = true;
            this.chunkOffset = this.received;
            this.run = this.capturing ? 0 : -1;
            // A number is the one value that only its next byte ends, and the answer may be one.
            if (this.state === NUMBER && NUMBER_MAY_END[this.numberState] === 1) {
                this.valueEnd(EMPTY, 0);
            }
            if (this.state === DONE)
                return true;
            if (this.state === VALUE && this.depth === 0)
                return false;
            throw new MalformedAnswerError(this.whereItEnded(), this.received, true);
        });
    }
    /** Once anything failed, every later call fails the same way: the answer is not read on past an error. */
    guard(step) {
        if (this.failure !== undefined)
            throw this.failure;
        if (this.ended)
            throw new Error('internal error: the answer was already read to its end');
        try {
            return step();
        }
        catch (error) {
            this.failure = error instanceof Error ? error : new Error(String(error));
            throw error;
        }
    }
    scan(chunk) {
        const n = chunk.length;
        this.chunkOffset = this.received;
        this.received += n;
        const { maxAnswerBytes } = this.limits;
        if (maxAnswerBytes !== undefined && this.received > maxAnswerBytes) {
            throw new AnswerTooLargeError('answer', maxAnswerBytes, this.received, maxAnswerBytes, 'the answer');
        }
        this.run = this.capturing ? 0 : -1;
        let i = 0;
        while (i < n) {
            const state = this.state;
            if (state === STRING) {
                // The hot loop: most of an answer is string content.
                let c = 0;
                while (i < n) {
                    c = chunk[i];
                    if (c === QUOTE || c === BACKSLASH || c < 0x20)
                        break;
                    i++;
                }
                if (i === n)
                    break;
                if (c === QUOTE)
                    this.stringEnd(chunk, i + 1);
                else if (c === BACKSLASH)
                    this.state = ESCAPE;
                else
                    throw this.malformed(i, `a control character (${describeByte(c)}) inside a string, where it must be escaped`);
                i++;
            }
            else if (state < STRING) {
                const c = chunk[i];
                if (!isSpace(c)) {
                    i = this.structure(chunk, i, c);
                    continue;
                }
                // Whitespace between tokens is skipped, never buffered, however long it is.
                if (this.run >= 0)
                    this.append(chunk, this.run, i);
                i++;
                while (i < n && isSpace(chunk[i]))
                    i++;
                if (this.capturing)
                    this.run = i;
            }
            else if (state === NUMBER) {
                i = this.number(chunk, i);
            }
            else {
                const c = chunk[i];
                if (state === ESCAPE) {
                    if (ESCAPABLE[c] !== 1)
                        throw this.malformed(i, `expected an escape character after a backslash, found ${describeByte(c)}`);
                    if (c === LOWER_U) {
                        this.state = UNICODE;
                        this.hexLeft = 4;
                    }
                    else
                        this.state = STRING;
                }
                else if (state === UNICODE) {
                    if (HEX[c] !== 1)
                        throw this.malformed(i, `expected a hex digit in a \\u escape, found ${describeByte(c)}`);
                    if (--this.hexLeft === 0)
                        this.state = STRING;
                }
                else {
                    if (c !== this.literal[this.literalAt])
                        throw this.malformed(i, `expected '${this.literal.toString()}', found ${describeByte(c)}`);
                    if (++this.literalAt === this.literal.length)
                        this.valueEnd(chunk, i + 1);
                }
                i++;
            }
        }
        if (this.run >= 0)
            this.append(chunk, this.run, n);
        this.run = -1;
    }
    /** A byte other than whitespace between tokens. Returns the index of the next byte to read. */
    structure(chunk, i, c) {
        switch (this.state) {
            case VALUE:
                return this.valueStart(chunk, i, c);
            case FIRST_ITEM:
                return c === CLOSE_BRACKET ? this.close(chunk, i) : this.valueStart(chunk, i, c);
            case FIRST_NAME:
                if (c === CLOSE_BRACE)
                    return this.close(chunk, i);
                if (c === QUOTE)
                    return this.nameStart(i);
                throw this.malformed(i, `expected a member name or '}', found ${describeByte(c)}`);
            case NAME:
                if (c === QUOTE)
                    return this.nameStart(i);
                throw this.malformed(i, `expected a member name, found ${describeByte(c)}`);
            case COLON:
                if (c !== COLON_BYTE)
                    throw this.malformed(i, `expected ':' after a member name, found ${describeByte(c)}`);
                this.state = VALUE;
                return i + 1;
            case NEXT: {
                const inObject = this.open[this.depth - 1] === IN_OBJECT;
                if (c === COMMA) {
                    this.state = inObject ? NAME : VALUE;
                    return i + 1;
                }
                if (c === (inObject ? CLOSE_BRACE : CLOSE_BRACKET))
                    return this.close(chunk, i);
                throw this.malformed(i, `expected ',' or '${inObject ? '}' : ']'}', found ${describeByte(c)}`);
            }
            default:
                throw this.malformed(i, `expected nothing after the answer's value, found ${describeByte(c)}`);
        }
    }
    valueStart(chunk, i, c) {
        const type = typeStartingWith(c);
        if (type === undefined)
            throw this.malformed(i, `expected a value, found ${describeByte(c)}`);
        if (!this.capturing && this.depth <= this.limits.watchDepth) {
            const limit = this.listener.valueStart(this.depth, type);
            if (limit >= 0)
                this.startCapture(i, limit);
        }
        switch (type) {
            case 'object':
            case 'array':
                if (this.depth === this.limits.maxDepth)
                    throw new AnswerTooDeepError(this.limits.maxDepth, this.chunkOffset + i);
                this.open[this.depth++] = type === 'object' ? IN_OBJECT : IN_ARRAY;
                this.state = type === 'object' ? FIRST_NAME : FIRST_ITEM;
                break;
            case 'string':
                this.inName = false;
                this.state = STRING;
                break;
            case 'number':
                this.state = NUMBER;
                this.numberState = c === MINUS ? N_MINUS : c === ZERO ? N_ZERO : N_INT;
                break;
            default:
                this.literal = c === TRUE[0] ? TRUE : c === FALSE[0] ? FALSE : NULL;
                this.literalAt = 1;
                this.state = LITERAL;
        }
        return i + 1;
    }
    nameStart(i) {
        if (!this.capturing && this.depth <= this.limits.watchDepth) {
            const limit = this.listener.nameStart(this.depth);
            if (limit >= 0) {
                this.startCapture(i, limit);
                this.capturingName = true;
            }
        }
        this.inName = true;
        this.state = STRING;
        return i + 1;
    }
    /** `end` is the index just past the closing quote. */
    stringEnd(chunk, end) {
        if (!this.inName) {
            this.valueEnd(chunk, end);
            return;
        }
        this.state = COLON;
        if (this.capturingName)
            this.listener.nameEnd(this.finishCapture(chunk, end), this.captured);
    }
    close(chunk, i) {
        this.depth--;
        this.valueEnd(chunk, i + 1);
        return i + 1;
    }
    /** `end` is the index just past the value's last byte. */
    valueEnd(chunk, end) {
        const depth = this.depth;
        if (this.capturing) {
            if (depth === this.captureDepth)
                this.listener.valueEnd(depth, this.finishCapture(chunk, end), this.captured);
        }
        else if (depth <= this.limits.watchDepth) {
            this.listener.valueEnd(depth, undefined, 0);
        }
        this.state = depth === 0 ? DONE : NEXT;
    }
    /** Reads on in a number; a byte that cannot continue it ends it and is read again as what follows. */
    number(chunk, i) {
        const n = chunk.length;
        const state = this.numberState;
        if (state === N_INT || state === N_FRACTION || state === N_EXPONENT) {
            while (i < n && isDigit(chunk[i]))
                i++;
            if (i === n)
                return i;
        }
        const c = chunk[i];
        switch (state) {
            case N_MINUS:
                if (!isDigit(c))
                    throw this.malformed(i, `expected a digit after '-', found ${describeByte(c)}`);
                this.numberState = c === ZERO ? N_ZERO : N_INT;
                return i + 1;
            case N_DOT:
                if (!isDigit(c))
                    throw this.malformed(i, `expected a digit after a decimal point, found ${describeByte(c)}`);
                this.numberState = N_FRACTION;
                return i + 1;
            case N_E:
                if (c === PLUS || c === MINUS) {
                    this.numberState = N_E_SIGN;
                    return i + 1;
                }
                if (!isDigit(c))
                    throw this.malformed(i, `expected a digit in an exponent, found ${describeByte(c)}`);
                this.numberState = N_EXPONENT;
                return i + 1;
            case N_E_SIGN:
                if (!isDigit(c))
                    throw this.malformed(i, `expected a digit in an exponent, found ${describeByte(c)}`);
                this.numberState = N_EXPONENT;
                return i + 1;
        }
        // After 0, more digits, a fraction or an exponent: the number may end here.
        if (state === N_ZERO && isDigit(c))
            throw this.malformed(i, 'a number may not start with 0 followed by more digits');
        if (c === DOT && (state === N_ZERO || state === N_INT)) {
            this.numberState = N_DOT;
            return i + 1;
        }
        if ((c === LOWER_E || c === UPPER_E) && state !== N_EXPONENT) {
            this.numberState = N_E;
            return i + 1;
        }
        this.valueEnd(chunk, i);
        return i;
    }
    startCapture(i, limit) {
        this.capturing = true;
        this.captureDepth = this.depth;
        this.captureLimit = limit;
        this.captured = 0;
        this.run = i;
    }
    /** The captured value, decoded: only once it is whole, so a character split between chunks is read whole. */
    finishCapture(chunk, end) {
        this.append(chunk, this.run, end);
        this.run = -1;
        this.capturing = false;
        this.capturingName = false;
        return this.buffer.toString('utf8', 0, this.captured);
    }
    /** Copies chunk[from, to) into the capture, failing (before copying) if that passes its cap. */
    append(chunk, from, to) {
        const size = this.captured + to - from;
        if (size === this.captured)
            return;
        if (size > this.captureLimit) {
            throw this.listener.tooLarge(this.captureLimit, size, this.chunkOffset + from + this.captureLimit - this.captured);
        }
        if (size > this.buffer.length) {
            const grown = Buffer.allocUnsafe(Math.min(this.captureLimit, Math.max(size, 2 * this.buffer.length, 1024)));
            this.buffer.copy(grown, 0, 0, this.captured);
            this.buffer = grown;
            this.maxBuffered = Math.max(this.maxBuffered, grown.length);
        }
        if (to - from > SHORT_RUN)
            chunk.copy(this.buffer, this.captured, from, to);
        else
            for (let i = from, at = this.captured; i < to;)
                this.buffer[at++] = chunk[i++];
        this.captured = size;
    }
    malformed(i, detail) {
        return new MalformedAnswerError(detail, this.chunkOffset + i, false);
    }
    whereItEnded() {
        switch (this.state) {
            case STRING:
            case ESCAPE:
            case UNICODE:
                return 'inside a string';
            case NUMBER:
                return 'inside a number';
            case LITERAL:
                return `inside '${this.literal.toString()}'`;
            default:
                return `with ${this.depth} ${this.depth === 1 ? 'array or object' : 'arrays and objects'} still open`;
        }
    }
}

;// CONCATENATED MODULE: ./src/cloud/json-reader.ts
/**
 * Readers of a JSON answer fed in chunks as they arrive (already decompressed), whose memory does
 * not grow with the answer's size. Pure: no I/O, no dependency.
 *
 * - valueReader: answers that are one object (a snapshot, a cluster, a job, a token), read whole
 *   but only up to a cap no real answer approaches.
 * - listReader: answers whose bulk is one list (`{"snapshots": [...], "count": N}`). Its items are
 *   parsed one at a time and handed to `keep`, which returns what to keep of each; the list itself
 *   is never held. Other top-level scalars are kept; other top-level arrays and objects are only
 *   checked, never held.
 *
 * Both accept exactly what JSON.parse accepts of the body decoded as UTF-8, and give the same
 * values; an empty body (or one of whitespace only) is undefined. Whitespace between tokens costs
 * nothing, however much of it there is. They fail with an AnswerReadError (json-scanner.ts) at the
 * first byte that breaks the grammar or passes a cap, without reading further, and fail the same
 * way on every later call.
 */


/** No real answer nests deeper than ~6; the cap keeps a hostile `[[[[…` to a small, fixed cost. */
const DEFAULT_MAX_DEPTH = 64;
/** The whole value of a single-object answer, as JSON.parse gives it, up to maxValueBytes. */
function valueReader(options) {
    const maxValueBytes = byteCap(options.maxValueBytes, 'maxValueBytes');
    let value;
    const listener = {
        valueStart: () => maxValueBytes,
        valueEnd: (_depth, text) => {
            if (text !== undefined)
                value = parse(text);
        },
        nameStart: () => -1,
        nameEnd: () => undefined,
        tooLarge: (limit, size, offset) => new AnswerTooLargeError('value', limit, size, offset, 'the answer (whitespace aside)')
    };
    return reader(new JsonScanner(listener, limits(options, 0)), () => value);
}
/**
 * A list answer read item by item. As with JSON.parse, a member named twice counts as its last
 * occurrence: a second list replaces what was kept of the first.
 */
function listReader(options) {
    const { key: listKey, keep } = options.list;
    const maxItemBytes = byteCap(options.maxItemBytes, 'maxItemBytes');
    const maxScalarBytes = byteCap(options.maxScalarBytes, 'maxScalarBytes');
    const answer = { type: 'null', listType: undefined, kept: [], items: 0, scalars: {} };
    /** the top-level bytes kept so far (names and scalar values), against maxScalarBytes */
    let topBytes = 0;
    let name = '';
    let inList = false;
    let capturing = 'name';
    const listener = {
        valueStart(depth, type) {
            if (depth === 0)
                answer.type = type;
            else if (depth === 1 && answer.type === 'object')
                return memberStart(type);
            else if (depth === 2 && inList) {
                capturing = 'item';
                return maxItemBytes;
            }
            return -1;
        },
        valueEnd(depth, text, bytes) {
            if (text === undefined) {
                if (depth === 1)
                    inList = false;
            }
            else if (capturing === 'item') {
                const kept = keep(parse(text), answer.items++);
                if (kept !== undefined)
                    answer.kept.push(kept);
            }
            else {
                topBytes += bytes;
                Object.defineProperty(answer.scalars, name, { value: parse(text), enumerable: true, writable: true, configurable: true });
            }
        },
        nameStart(depth) {
            if (depth !== 1 || answer.type !== 'object')
                return -1;
            capturing = 'name';
            return maxScalarBytes - topBytes;
        },
        nameEnd(text, bytes) {
            topBytes += bytes;
            name = parse(text);
        },
        tooLarge(limit, size, offset) {
            if (capturing === 'item') {
                return new AnswerTooLargeError('item', limit, size, offset, `item ${answer.items} of "${listKey}" (whitespace aside)`);
            }
            return new AnswerTooLargeError('top level', maxScalarBytes, topBytes + size, offset, `the answer's top level (its member names and scalar values besides "${listKey}")`);
        }
    };
    function memberStart(type) {
        Reflect.deleteProperty(answer.scalars, name);
        if (name === listKey) {
            answer.listType = type;
            answer.kept = [];
            answer.items = 0;
            inList = type === 'array';
            return -1;
        }
        if (type === 'object' || type === 'array')
            return -1;
        capturing = 'scalar';
        return maxScalarBytes - topBytes;
    }
    return reader(new JsonScanner(listener, limits(options, 2)), () => answer);
}
function reader(scanner, result) {
    return {
        write: (chunk) => scanner.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)),
        end: () => (scanner.end() ? result() : undefined),
        stats: {
            get received() {
                return scanner.received;
            },
            get maxBuffered() {
                return scanner.maxBuffered;
            }
        }
    };
}
function limits(options, watchDepth) {
    const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    if (!Number.isSafeInteger(maxDepth) || maxDepth < 1)
        throw new RangeError(`maxDepth must be a whole number above 0, not ${maxDepth}`);
    const maxAnswerBytes = options.maxAnswerBytes === undefined ? undefined : byteCap(options.maxAnswerBytes, 'maxAnswerBytes');
    return { maxDepth, watchDepth, maxAnswerBytes };
}
function byteCap(value, name) {
    if (!Number.isSafeInteger(value) || value < 0)
        throw new RangeError(`${name} must be a whole number of bytes, not ${value}`);
    return value;
}
/**
 * The scanner has checked the grammar, so this cannot fail; were it to, JSON.parse's own message
 * would quote the answer, which may hold credentials.
 */
function parse(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        throw new MalformedAnswerError('a value the scanner passed was refused by JSON.parse', 0, false);
    }
}

;// CONCATENATED MODULE: ./src/cloud/api.ts






class CloudApi {
    options;
    /** Secrets scrubbed, then one capped line: how every string from the network enters the action. */
    clean;
    constructor(options) {
        this.options = options;
        this.clean = (text) => serverText(options.redact(text));
    }
    /** The parsed JSON of a 2xx answer (undefined when empty); an ApiError for any other status. */
    async call(call) {
        return (await this.send(call)).body;
    }
    /**
     * The whole 2xx answer. Sent once more at once in two cases, each at most once: a read whose
     * kept-alive connection the server had just closed (nothing reached the service), and any call
     * whose credentials the service says have expired, once they are renewed (a 401 is refused
     * before anything is applied, so even a create may be resent).
     */
    async send(call) {
        const provider = call.unsigned ? undefined : this.options.credentials;
        if (!call.unsigned && !provider)
            throw new Error(`internal error: ${call.operation.name} needs credentials, and this API has none`);
        let used;
        /** the credentials the service said had expired, and its answer */
        let expired;
        let resentStale = false;
        return (0,cloud_retry/* retry */.L5)({
            run: async () => {
                const credentials = await provider?.get();
                // Fixed credentials come back unchanged after a renewal: sending them again would only repeat the 401.
                if (expired && credentials === expired.credentials)
                    throw expired.answer;
                used = credentials;
                return this.attempt(call, credentials);
            },
            judge: (error) => {
                if (isStaleRead(error, call) && !resentStale) {
                    resentStale = true;
                    return { kind: 'again', delayMs: 0, quiet: true, say: `${call.operation.name}: the kept connection had closed; sending again` };
                }
                if (provider && (0,errors/* isExpiredCredentials */.CW)(error) && !expired) {
                    expired = { credentials: used, answer: error };
                    provider.invalidate();
                    return { kind: 'again', delayMs: 0, quiet: true, say: `${call.operation.name}: the credentials expired; signing in again` };
                }
                return { kind: 'give-up' };
            }
        }, this.options.retry);
    }
    async attempt(call, credentials) {
        const url = new URL(call.base.href);
        url.pathname = `${call.base.pathname.replace(/\/+$/, '')}${call.path}`;
        for (const [k, v] of Object.entries(call.query ?? {}))
            url.searchParams.append(k, v);
        // Serialised once, compactly: the signed bytes are the sent bytes.
        const body = call.body === undefined ? '' : JSON.stringify(call.body);
        const headers = { 'Content-Type': 'application/json', ...call.headers };
        if (call.projectId)
            headers['X-Project-Id'] = call.projectId;
        const auth = credentials === undefined
            ? {}
            : credentials.kind === 'token'
                ? { 'X-Auth-Token': credentials.token }
                : signRequest({ method: call.method, url, headers, body }, credentials, new Date(this.options.retry.clock.now()));
        if (this.options.retry.stats)
            this.options.retry.stats.requests++;
        const response = await this.options
            .transport({
            operation: call.operation,
            method: call.method,
            url,
            headers: { ...headers, ...auth, 'User-Agent': this.options.userAgent, Accept: 'application/json' },
            body,
            timeoutMs: this.options.requestTimeoutMs,
            sink: (status) => (succeeded(status) ? answerSink(call) : errorTextSink())
        })
            .catch((error) => {
            throw readFailure(error, call.operation, url.host);
        });
        if (succeeded(response.status))
            return { status: response.status, body: response.body, headers: response.headers };
        throw this.toApiError(call.operation, response.status, response.headers, response.body);
    }
    toApiError(operation, status, headers, rawBody) {
        let json;
        try {
            json = (0,answers/* parseJson */.qF)(operation, rawBody);
        }
        catch {
            json = undefined;
        }
        // Scrubbed but not yet cut: the canonical-request echo is split off before the message is capped.
        const body = (0,answers/* readErrorBody */.Nk)(json, this.options.redact);
        const echo = splitCanonicalEcho(body.message);
        const requestId = header(headers, 'x-request-id') ?? body.requestId;
        const clean = (text) => (text === undefined ? undefined : this.clean(text));
        return new errors/* ApiError */.hD(operation, status, clean(body.code), clean(echo.message), clean(requestId), body.code || body.message ? undefined : this.clean(htmlToText(this.options.redact(rawBody))), header(headers, 'retry-after'), {
            debugDetail: echo.detail === undefined ? undefined : cap(oneLine(echo.detail), 4000),
            encodedAuthorizationMessage: body.encodedAuthorizationMessage
        });
    }
}
/**
 * On a signature failure the gateway echoes its canonical request. It is only useful for debugging
 * and holds signed header values, so the message keeps the verdict ("signature mismatch") and the
 * echo goes to the debug-only detail, scrubbed.
 */
function splitCanonicalEcho(message) {
    const at = message?.search(/,?\s*canonical ?request\s*:/i) ?? -1;
    if (message === undefined || at < 0)
        return { message };
    return { message: message.slice(0, at), detail: message };
}
/** A proxy's HTML page reduced to its text. */
function htmlToText(raw) {
    return raw
        .slice(0, 20_000)
        .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
}
function header(headers, name) {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v || undefined;
}
/** A read on a kept-alive connection the server closed before any answer: nothing reached the service. */
function isStaleRead(error, call) {
    return error instanceof errors/* TransportError */.wX && error.staleConnection && call.method === 'GET';
}
function succeeded(status) {
    return status >= 200 && status < 300;
}
/**
 * Answers are read as they arrive, never held whole: one object up to a size no real answer
 * approaches; a list item by item, keeping what the caller selects. Both caps count every byte,
 * whitespace included, so padding cannot make an answer cost more.
 */
const ANSWER_CAPS = {
    /** a snapshot, a cluster, a job, a token */
    valueBytes: 1024 * 1024,
    /** a whole list: above a project of 50 000 snapshots of real size */
    listBytes: 64 * 1024 * 1024,
    /** one item of a list */
    itemBytes: 256 * 1024,
    /** a list answer's other members (count, project_id, ...) */
    topLevelBytes: 64 * 1024,
    /** an error answer: the code and message are at its start; the rest is not read */
    errorTextBytes: 64 * 1024
};
function answerSink(call) {
    const reader = call.list
        ? listReader({
            list: call.list,
            maxItemBytes: ANSWER_CAPS.itemBytes,
            maxScalarBytes: ANSWER_CAPS.topLevelBytes,
            maxAnswerBytes: ANSWER_CAPS.listBytes
        })
        : valueReader({ maxValueBytes: ANSWER_CAPS.valueBytes, maxAnswerBytes: ANSWER_CAPS.valueBytes });
    return { write: (chunk) => reader.write(chunk), end: () => reader.end() };
}
/** The start of an error answer, as text: what follows the cap is not kept. */
function errorTextSink() {
    return truncatedText(ANSWER_CAPS.errorTextBytes);
}
function truncatedText(maxBytes) {
    const chunks = [];
    let kept = 0;
    return {
        write(chunk) {
            if (kept >= maxBytes)
                return;
            const part = chunk.subarray(0, maxBytes - kept);
            chunks.push(part);
            kept += part.length;
        },
        end: () => Buffer.concat(chunks).toString('utf8')
    };
}
/** What reading a 2xx answer found wrong, as the action's errors say it. */
function readFailure(error, operation, host) {
    if (error instanceof AnswerTooLargeError) {
        // Like a body the transport refused for its size: the request may have been carried out.
        return new errors/* TransportError */.wX(operation, 'too-large', host, true, `the answer from ${host} is too large: ${error.message}`);
    }
    if (error instanceof AnswerReadError)
        return new answers/* UnexpectedAnswerError */.qx(operation, error.message);
    return error;
}

// EXTERNAL MODULE: ./src/cloud/iam.ts
var iam = __nccwpck_require__(1352);
;// CONCATENATED MODULE: ./src/dws/answers.ts
/**
 * The DWS answers: snapshots and clusters, read through the checks of cloud/answers.ts. Pure.
 */

function size(value) {
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    return Number.isFinite(n) && n >= 0 ? n : undefined;
}
function progress(value, clean) {
    if (typeof value === 'number' && Number.isFinite(value))
        return `${value}%`;
    return (0,answers/* text */.Qq)(value, clean);
}
function readSnapshot(value, operation, clean) {
    if (!(0,answers/* isObject */.Gv)(value))
        throw new answers/* UnexpectedAnswerError */.qx(operation, 'a snapshot is not an object');
    const id = (0,answers/* asUuid */.WD)(value.id);
    if (id === undefined)
        throw new answers/* UnexpectedAnswerError */.qx(operation, 'a snapshot has no valid id (expected a UUID)');
    return {
        id,
        name: typeof value.name === 'string' ? clean(value.name) : '',
        status: (0,answers/* text */.Qq)(value.status, clean) ?? 'UNKNOWN',
        clusterId: (0,answers/* asUuid */.WD)(value.cluster_id),
        started: (0,answers/* serviceTime */.DR)(value.started),
        finished: (0,answers/* serviceTime */.DR)(value.finished),
        size: size(value.size),
        progress: progress(value.progress, clean),
        clusterTaskStatus: typeof value.cluster_task_status === 'string' ? clean(value.cluster_task_status) : undefined,
        type: (0,answers/* text */.Qq)(value.type, clean),
        description: typeof value.description === 'string' ? clean(value.description) : undefined
    };
}
/** `{"snapshot": {...}}` of the details call. */
function readSnapshotDetails(body, operation, clean) {
    if (!(0,answers/* isObject */.Gv)(body) || !(0,answers/* isObject */.Gv)(body.snapshot))
        throw new answers/* UnexpectedAnswerError */.qx(operation, 'no "snapshot" object');
    return readSnapshot(body.snapshot, operation, clean);
}
/**
 * What to keep of `{"snapshots": [...]}` as it streams in: each item read as a snapshot; with
 * `names`, only the snapshots of those names (without regard to case), the others dropped unread,
 * so the name check in a project of tens of thousands of snapshots holds a handful.
 */
function snapshotSelection(operation, clean, names) {
    return {
        key: 'snapshots',
        keep: (item) => {
            const name = (0,answers/* isObject */.Gv)(item) && typeof item.name === 'string' ? item.name.toLowerCase() : undefined;
            // An item that is not a snapshot object still fails the list: readSnapshot says so.
            if (names !== undefined && name !== undefined && !names.has(name))
                return undefined;
            return readSnapshot(item, operation, clean);
        }
    };
}
/** The items a list answer kept, once its shape is checked: `{"<key>": [...], ...}`. */
function listItems(answer, key, operation) {
    const list = answer;
    if (list?.type !== 'object')
        throw new answers/* UnexpectedAnswerError */.qx(operation, 'not a JSON object');
    if (list.listType === undefined || list.listType === 'null')
        return [];
    if (list.listType !== 'array')
        throw new answers/* UnexpectedAnswerError */.qx(operation, `"${key}" is not a list`);
    return list.kept;
}
/** The id in a create's `{"snapshot": {"id": ...}}`, or undefined when the answer does not carry a valid one. */
function readCreatedId(body) {
    return (0,answers/* isObject */.Gv)(body) && (0,answers/* isObject */.Gv)(body.snapshot) ? (0,answers/* asUuid */.WD)(body.snapshot.id) : undefined;
}
/** What to keep of `{"clusters": [...]}`: each item read as a cluster. */
function clusterSelection(operation, clean) {
    return { key: 'clusters', keep: (item) => clusterOf(item, operation, clean) };
}
function readCluster(body, operation, clean) {
    if (!(0,answers/* isObject */.Gv)(body) || !(0,answers/* isObject */.Gv)(body.cluster))
        throw new answers/* UnexpectedAnswerError */.qx(operation, 'no "cluster" object');
    return clusterOf(body.cluster, operation, clean);
}
function clusterOf(c, operation, clean) {
    if (!(0,answers/* isObject */.Gv)(c))
        throw new answers/* UnexpectedAnswerError */.qx(operation, 'a cluster is not an object');
    const id = (0,answers/* asUuid */.WD)(c.id);
    if (id === undefined)
        throw new answers/* UnexpectedAnswerError */.qx(operation, 'the cluster has no valid id (expected a UUID)');
    return {
        id,
        name: (0,answers/* text */.Qq)(c.name, clean),
        status: (0,answers/* text */.Qq)(c.status, clean),
        subStatus: (0,answers/* text */.Qq)(c.sub_status, clean),
        taskStatus: typeof c.task_status === 'string' ? clean(c.task_status) : undefined,
        actionProgress: actionProgress(c.action_progress, clean),
        failedReasons: c.failed_reasons === undefined || c.failed_reasons === null ? undefined : clean((0,answers/* shallowJson */.Hl)(c.failed_reasons)),
        privateEndpoint: firstEndpoint(c.endpoints, 'connect_info'),
        publicEndpoint: firstEndpoint(c.public_endpoints, 'public_connect_info')
    };
}
/** Task names as the service writes them (`SNAPSHOTTING`, `RESTORING`): anything else is not a task of this action's. */
const TASK = /^[A-Z][A-Z_]{0,39}$/;
/** `action_progress`: task → progress, for the tasks still running (an empty value is a task without a reading). */
function actionProgress(value, clean) {
    if (!(0,answers/* isObject */.Gv)(value))
        return {};
    const tasks = Object.entries(value)
        .filter(([task]) => TASK.test(task))
        .slice(0, 10);
    return Object.fromEntries(tasks.map(([task, reading]) => [task, progress(reading, clean) ?? '']));
}
/** `host:port` (a name or IPv4 address, or [IPv6]) and nothing else: it becomes a step output. */
const ENDPOINT = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\]):\d{1,5}$/;
function firstEndpoint(list, field) {
    const first = Array.isArray(list) ? list[0] : undefined;
    const value = (0,answers/* isObject */.Gv)(first) ? first[field] : undefined;
    return typeof value === 'string' && ENDPOINT.test(value) ? value : undefined;
}
/**
 * The failed step and error of a cluster's SNAPSHOTTING_FAILED task: each `items[].sub_items[].detail`
 * is JSON text whose `progressInfo` is JSON text again. The first sub-item that names a failure wins;
 * undefined when none does or the answer has another shape.
 */
function readSnapshotFailure(body, clean) {
    if (!(0,answers/* isObject */.Gv)(body) || !Array.isArray(body.items))
        return undefined;
    for (const item of body.items) {
        if (!(0,answers/* isObject */.Gv)(item) || !Array.isArray(item.sub_items))
            continue;
        for (const sub of item.sub_items) {
            const info = (0,answers/* isObject */.Gv)(sub) ? progressInfo(sub.detail) : undefined;
            if (info === undefined)
                continue;
            const failure = {
                failedStep: (0,answers/* text */.Qq)(info.failedStep, clean),
                errorCode: (0,answers/* text */.Qq)(info.errorCode, clean),
                errorMsg: (0,answers/* text */.Qq)(info.errorMsg, clean)
            };
            if (failure.failedStep !== undefined || failure.errorCode !== undefined || failure.errorMsg !== undefined)
                return failure;
        }
    }
    return undefined;
}
/** `detail` → its `progressInfo`, each either JSON text or already an object. */
function progressInfo(detail) {
    const outer = decoded(detail);
    return outer === undefined ? undefined : decoded(outer.progressInfo);
}
function decoded(value) {
    if ((0,answers/* isObject */.Gv)(value))
        return value;
    if (typeof value !== 'string')
        return undefined;
    try {
        const parsed = JSON.parse(value);
        return (0,answers/* isObject */.Gv)(parsed) ? parsed : undefined;
    }
    catch {
        return undefined;
    }
}
/** The new cluster's id in a restore's `{"cluster": {"id": ...}}`, or undefined when the answer does not carry a valid one. */
function readRestoredClusterId(body) {
    return (0,answers/* isObject */.Gv)(body) && (0,answers/* isObject */.Gv)(body.cluster) ? (0,answers/* asUuid */.WD)(body.cluster.id) : undefined;
}
/** A job id safe in a path and an output (the service's form is not documented: 32 hex digits seen). */
const JOB_ID = /^[A-Za-z0-9_-]{1,64}$/;
function readJobId(body) {
    const id = (0,answers/* isObject */.Gv)(body) ? body.job_id : undefined;
    return typeof id === 'string' && JOB_ID.test(id) ? id : undefined;
}
function readJob(body, operation, clean) {
    if (!(0,answers/* isObject */.Gv)(body))
        throw new answers/* UnexpectedAnswerError */.qx(operation, 'not a JSON object');
    const id = readJobId(body);
    if (id === undefined)
        throw new answers/* UnexpectedAnswerError */.qx(operation, 'the job has no valid id');
    return {
        id,
        status: (0,answers/* text */.Qq)(body.status, clean) ?? 'UNKNOWN',
        progress: progress(body.progress, clean),
        failedCode: (0,answers/* text */.Qq)(body.failed_code, clean),
        failedDetail: (0,answers/* text */.Qq)(body.failed_detail, clean)
    };
}
/** `check_table_name_result`: the rejected names, each list null or empty when none is. */
function readTableCheck(body, operation, clean) {
    const result = (0,answers/* isObject */.Gv)(body) ? body.check_table_name_result : undefined;
    if (!(0,answers/* isObject */.Gv)(result))
        throw new answers/* UnexpectedAnswerError */.qx(operation, 'no "check_table_name_result" object');
    const names = (value) => Array.isArray(value) ? value.slice(0, 100).flatMap((name) => (typeof name === 'string' && name !== '' ? [clean(name)] : [])) : [];
    return { rejectedSources: names(result.restore_table_list), rejectedTargets: names(result.target_table_list) };
}

;// CONCATENATED MODULE: ./src/dws/operations.ts
const DWS = {
    createSnapshot: { name: 'Create snapshot', permission: 'dws:cluster:createSnapshot', clusterCall: true },
    listSnapshots: { name: 'List snapshots', permission: 'dws:cluster:listSnapshot' },
    getSnapshot: { name: 'Get snapshot', permission: 'dws:cluster:getSnapshotDetail' },
    getCluster: { name: 'Get cluster', permission: 'dws:cluster:getDetail', clusterCall: true },
    // The permission of the task read is an assumption: the API page names none.
    getSnapshotTask: { name: 'Get snapshot task', permission: 'dws:cluster:getDetail' },
    listClusters: { name: 'List clusters', permission: 'dws:cluster:list' },
    listClusterSnapshots: { name: 'List cluster snapshots', permission: 'dws:cluster:listSnapshot' },
    deleteSnapshot: { name: 'Delete snapshot', permission: 'dws:cluster:deleteSnapshot' },
    restoreCluster: { name: 'Restore cluster', permission: 'dws:cluster:restore' },
    deleteCluster: { name: 'Delete cluster', permission: 'dws:cluster:delete', clusterCall: true },
    // The table restore's permissions are assumptions: the pages name none; restoring and reading are the nearest actions.
    checkTableNames: { name: 'Check table names', permission: 'dws:cluster:restore' },
    restoreTables: { name: 'Restore tables', permission: 'dws:cluster:restore' },
    getJob: { name: 'Get job', permission: 'dws:cluster:getDetail' }
};
const DWS_OPERATIONS = Object.values(DWS);

;// CONCATENATED MODULE: ./src/dws/pager.ts
/**
 * Reading a paged list whose `offset` means different things in different versions of the docs: a
 * page index ("page number minus 1") or a record index ("sequence number of the record"). Pure
 * apart from the page fetcher it is given.
 *
 * The first page is read at offset 0; a probe at offset 1 then tells the readings apart: a record
 * index shifts the first page by one item, a page index gives the next, disjoint page. Each item is
 * returned once (by id); reading stops at a short or empty page, or a page with nothing new.
 */
/** The list could not be read consistently (it changed while being read, or the service pages some third way). */
class PagingError extends Error {
    constructor(detail) {
        super(`The cluster's snapshot list could not be paged through reliably: ${detail}`);
        this.name = 'PagingError';
    }
}
async function readAllPages(fetchPage, limit, maxPages = 1000) {
    const seen = new Map();
    const add = (items) => {
        let added = 0;
        for (const item of items) {
            if (seen.has(item.id))
                continue;
            seen.set(item.id, item);
            added += 1;
        }
        return added;
    };
    let requests = 1;
    const first = await fetchPage(limit, 0);
    add(first);
    // A short page is the whole list; a longer one means the service ignores `limit` and sent it all.
    if (first.length !== limit)
        return { items: [...seen.values()], requests };
    requests += 1;
    const probe = await fetchPage(limit, 1);
    const reading = readingOf(first, probe);
    if (reading === 'ignored' || probe.length === 0)
        return { items: [...seen.values()], reading: 'page', requests };
    add(probe);
    // Where the next page starts, in the service's reading.
    let offset = reading === 'record' ? 1 + probe.length : 2;
    let last = probe;
    while (last.length === limit) {
        if (requests >= maxPages)
            throw new PagingError(`still more after ${maxPages} pages`);
        requests += 1;
        last = await fetchPage(limit, offset);
        if (add(last) === 0)
            break;
        offset += reading === 'record' ? last.length : 1;
    }
    return { items: [...seen.values()], reading, requests };
}
/** What the answer at offset 1 says about the meaning of `offset`. */
function readingOf(first, probe) {
    const ids = new Set(first.map((item) => item.id));
    if (probe.every((item) => !ids.has(item.id)))
        return 'page';
    // Record index: the probe is the first page moved up by one.
    if (first.slice(1).every((item, i) => probe[i]?.id === item.id))
        return 'record';
    if (probe.length === first.length && probe.every((item, i) => first[i]?.id === item.id))
        return 'ignored';
    throw new PagingError('the answer at offset 1 neither continues nor shifts the first page (the list changed while it was read?)');
}

;// CONCATENATED MODULE: ./src/dws/client.ts
/**
 * DwsClient: the DWS calls of one project, over the cloud API. Every answer is read through
 * dws/answers.ts, so nothing unchecked from the network gets past it.
 */





/** Snapshots asked for per page of the cluster's list: one request for all but the busiest clusters. */
const CLUSTER_LIST_PAGE_SIZE = 100;
class DwsClient {
    api;
    endpoint;
    projectId;
    constructor(api, endpoint, projectId) {
        this.api = api;
        this.endpoint = endpoint;
        this.projectId = projectId;
    }
    /**
     * Returns the new snapshot's id. A success whose answer cannot be read throws
     * UnreadableAnswerError: the snapshot may exist, so the caller looks it up by name.
     */
    async createSnapshot(spec) {
        const operation = DWS.createSnapshot;
        const snapshot = { name: spec.name, cluster_id: spec.clusterId };
        if (spec.description)
            snapshot.description = spec.description;
        return this.makes({ operation, method: 'POST', path: 'snapshots', body: { snapshot } }, readCreatedId, 'snapshot id');
    }
    async getSnapshot(id) {
        const operation = DWS.getSnapshot;
        const body = await this.call({ operation, method: 'GET', path: `snapshots/${encodeURIComponent(id)}` });
        return readSnapshotDetails(body, operation, this.api.clean);
    }
    async listSnapshots(names) {
        const operation = DWS.listSnapshots;
        const wanted = names && new Set([...names].map((name) => name.toLowerCase()));
        const list = snapshotSelection(operation, this.api.clean, wanted);
        return listItems(await this.call({ operation, method: 'GET', path: 'snapshots', list }), list.key, operation);
    }
    async getCluster(id) {
        const operation = DWS.getCluster;
        const body = await this.call({ operation, method: 'GET', path: `clusters/${encodeURIComponent(id)}` });
        return readCluster(body, operation, this.api.clean);
    }
    async listClusterSnapshots(clusterId) {
        const operation = DWS.listClusterSnapshots;
        const path = `clusters/${encodeURIComponent(clusterId)}/snapshots`;
        const paged = await readAllPages(async (limit, offset) => {
            const list = snapshotSelection(operation, this.api.clean);
            const query = { limit: String(limit), offset: String(offset) };
            return listItems(await this.call({ operation, method: 'GET', path, query, list }), list.key, operation);
        }, CLUSTER_LIST_PAGE_SIZE);
        return paged.items;
    }
    async deleteSnapshot(id) {
        await this.call({ operation: DWS.deleteSnapshot, method: 'DELETE', path: `snapshots/${encodeURIComponent(id)}` });
    }
    /** The project's clusters (`GET /v1.0/{project_id}/clusters`), to resolve cluster names. */
    async listClusters() {
        const operation = DWS.listClusters;
        const list = clusterSelection(operation, this.api.clean);
        return listItems(await this.call({ operation, method: 'GET', path: 'clusters', list }), list.key, operation);
    }
    /** The failed step and error of the cluster's last snapshot task; this one API lives under /v1, not /v1.0. */
    async getSnapshotFailure(clusterId) {
        const operation = DWS.getSnapshotTask;
        const path = `clusters/${encodeURIComponent(clusterId)}/actions/SNAPSHOTTING_FAILED`;
        const body = await this.call({ operation, method: 'GET', path }, 'v1');
        return readSnapshotFailure(body, this.api.clean);
    }
    /**
     * Restores a snapshot into a new cluster; returns its id. Only the fields given are sent, with the
     * names of the SDK's `Restore` model: the service takes the rest from the source cluster. A success
     * whose answer cannot be read throws UnreadableAnswerError: the cluster may exist.
     */
    async restoreCluster(request) {
        const operation = DWS.restoreCluster;
        const restore = { name: request.clusterName };
        if (request.subnetId !== undefined)
            restore.subnet_id = request.subnetId;
        if (request.securityGroupId !== undefined)
            restore.security_group_id = request.securityGroupId;
        if (request.vpcId !== undefined)
            restore.vpc_id = request.vpcId;
        if (request.availabilityZone !== undefined)
            restore.availability_zone = request.availabilityZone;
        if (request.port !== undefined)
            restore.port = request.port;
        if (request.publicIp !== undefined) {
            restore.public_ip =
                request.publicIp.bind === 'bind_existing'
                    ? { public_bind_type: 'bind_existing', eip_id: request.publicIp.eipId }
                    : { public_bind_type: request.publicIp.bind };
        }
        if (request.enterpriseProjectId !== undefined)
            restore.enterprise_project_id = request.enterpriseProjectId;
        const path = `snapshots/${encodeURIComponent(request.snapshotId)}/actions`;
        return this.makes({ operation, method: 'POST', path, body: { restore } }, readRestoredClusterId, 'cluster id');
    }
    /** Deletes a cluster and keeps none of its manual snapshots: the copies this action makes are throwaway. */
    async deleteCluster(id) {
        const path = `clusters/${encodeURIComponent(id)}`;
        await this.call({ operation: DWS.deleteCluster, method: 'DELETE', path, body: { keep_last_manual_snapshot: 0 } });
    }
    /** The service's check of the names a table restore would use; this one API lives under /v1. */
    async checkTableRestore(request) {
        const operation = DWS.checkTableNames;
        const path = `snapshots/${encodeURIComponent(request.snapshotId)}/table-restore-check`;
        const body = await this.call({ operation, method: 'POST', path, body: tableRestoreBody(request) }, 'v1');
        return readTableCheck(body, operation, this.api.clean);
    }
    /** Starts restoring tables into the snapshot's own cluster; returns the job's id. */
    async restoreTables(request) {
        const operation = DWS.restoreTables;
        const path = `snapshots/${encodeURIComponent(request.snapshotId)}/table-restore`;
        return this.makes({ operation, method: 'POST', path, body: tableRestoreBody(request) }, readJobId, 'job id', 'v1');
    }
    async getJob(id) {
        const operation = DWS.getJob;
        const body = await this.call({ operation, method: 'GET', path: `job/${encodeURIComponent(id)}` });
        return readJob(body, operation, this.api.clean);
    }
    /**
     * A call that makes something, whose answer must carry the new thing's id. A success that cannot
     * be read (not JSON, no valid id) throws UnreadableAnswerError: the thing may exist all the same.
     */
    async makes(call, readId, what, version) {
        let body;
        try {
            body = await this.call(call, version);
        }
        catch (error) {
            if (error instanceof answers/* UnexpectedAnswerError */.qx)
                throw new errors/* UnreadableAnswerError */.mP(call.operation, 'the body is not JSON');
            throw error;
        }
        const id = readId(body);
        if (id === undefined)
            throw new errors/* UnreadableAnswerError */.mP(call.operation, `it carries no valid ${what}`);
        return id;
    }
    call(call, version = 'v1.0') {
        return this.api.call({
            ...call,
            base: this.endpoint,
            path: `/${version}/${encodeURIComponent(this.projectId)}/${call.path}`,
            projectId: this.projectId
        });
    }
}
/** The table restore's body, as the check and the restore both take it. */
function tableRestoreBody(request) {
    const table = ({ schema, table }) => ({ schema_name: schema, table_name: table });
    return {
        case_sensitive: request.caseSensitive,
        database: request.database,
        restore_table_list: request.tables.map((t) => table(t.source)),
        target_table_list: request.tables.map((t) => table(t.target))
    };
}

;// CONCATENATED MODULE: ./src/action/plan/connect.ts
/**
 * The step's way to the service, shared by both actions: one transport (kept connections), one
 * retry context (the step's deadline, one 429 backoff for every call), the credential provider of
 * the way it signs in, and the project. Signing in and finding the project happen once, on the
 * first call that needs them; a keyless sign-in comes before anything else, so a trust problem is
 * the first and only failure.
 */











/** Sent in the User-Agent of every request, so the service's logs can tell this action's calls apart. */
const USER_AGENT = `dws-snapshot-action/${package_namespaceObject.rE}`;
/** Checks what can be checked without a request (an ID token for keyless sign-in, the session name); sends nothing. */
function connect_connect(step, config, options) {
    const { io, log } = step;
    const idToken = config.signIn.way === 'static' ? noIdTokens : githubIdTokens(io, step.registerSecret);
    const signIn = concreteSignIn(config.signIn, options.workflow, options.clusterId, step);
    const transport = step.transport(USER_AGENT);
    // The handshake with DWS can overlap whatever the step does before its first call.
    step.preconnect(config.dwsEndpoint);
    const retry = {
        policy: { ...cloud_retry/* DEFAULT_BACKOFF */.VU, maxAttempts: config.maxAttempts },
        clock: step.clock,
        log,
        stats: step.stats,
        random: step.random,
        deadline: options.deadline,
        throttle: new cloud_retry/* Throttle */.X5()
    };
    const common = { userAgent: USER_AGENT, requestTimeoutMs: config.requestTimeoutMs, transport, retry, redact: step.redact };
    let signedIn;
    const credentials = credentialProvider(signIn, {
        api: new CloudApi(common),
        idToken,
        registerSecret: step.registerSecret,
        retry,
        onSignedIn: (known) => (signedIn = known)
    });
    log.debug(`DWS endpoint ${config.dwsEndpoint.origin}; IAM endpoint ${config.iamEndpoint?.origin ?? '(not needed)'}; ` +
        `credentials: ${describeSignIn(signIn)} from ${config.credentialSource}`);
    if (config.ignoredEnvKeys.length > 0) {
        log.debug(`Keyless sign-in chosen by the inputs: ignoring the keys in env ${config.ignoredEnvKeys.join(', ')}`);
    }
    const api = new CloudApi({ ...common, credentials });
    let projectId = config.projectId;
    let client;
    const open = async () => {
        if (signIn.way !== 'static')
            await credentials.get();
        projectId ??= signedIn?.projectId ?? (await lookUpProject(api, config, retry));
        options.onProject?.(projectId);
        return new DwsClient(api, config.dwsEndpoint, projectId);
    };
    return {
        retry,
        client: () => (client ??= open()),
        projectId: () => projectId,
        signedIn: () => signedIn
    };
}
async function lookUpProject(api, config, retry) {
    const { iamEndpoint, region } = config;
    // readCloudConfig guarantees a region and an IAM endpoint whenever the project is not given.
    if (!iamEndpoint || !region)
        throw new Error('internal error: no region or IAM endpoint to look the project up with');
    const projectId = await (0,cloud_retry/* withRetries */.LH)(() => (0,iam/* lookupProjectId */.lg)(api, iamEndpoint, region), retry);
    retry.log.info(`Project of region ${region}: ${projectId}`);
    return projectId;
}
/** The sign-in as configured, made concrete for this run: the STS session name expanded and made valid. */
function concreteSignIn(signIn, workflow, clusterId, step) {
    if (signIn.way !== 'oidc-sts')
        return signIn;
    const { sessionNameTemplate, ...rest } = signIn;
    const values = template_tokenValues(workflow, { id: clusterId }, new Date(step.clock.now()));
    const expanded = template_expandTemplate(sessionNameTemplate, values, 'session_name');
    let name;
    try {
        name = toSessionName(expanded);
    }
    catch (error) {
        if (error instanceof SessionNameError)
            throw new input_error_InputError('session_name', error.message);
        throw error;
    }
    if (name.changes.length > 0)
        step.log.debug(`Session name ${sanitize_quoteInput(expanded)} was made valid as '${name.value}': ${name.changes.join('; ')}.`);
    return { ...rest, sessionName: name.value };
}
/** Checked before any request; the request token that authorises fetching ID tokens is a secret too. */
function githubIdTokens(io, registerSecret) {
    const url = io.env.ACTIONS_ID_TOKEN_REQUEST_URL?.trim();
    const requestToken = io.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN?.trim();
    if (!url || !requestToken)
        throw new github_id_token/* NoIdTokenError */.U4();
    registerSecret(requestToken);
    return (audience) => io.getIDToken(audience);
}
/** For the ways that need no ID token: asking for one is a bug. */
const noIdTokens = () => Promise.reject(new Error('internal error: this way of signing in uses no ID token'));
/** How this run signs in, in words. */
function describeSignIn(signIn) {
    switch (signIn.way) {
        case 'static':
            return signIn.credentials.kind === 'token' ? 'IAM token' : 'access key pair';
        case 'oidc-sts':
            return `keyless sign-in through STS ${signIn.stsEndpoint.origin} as agency ${signIn.agencyUrn}, session '${signIn.sessionName}'`;
        case 'oidc-iam':
            return `keyless sign-in through IAM ${signIn.iamEndpoint.origin}, identity provider ${signIn.idpId}`;
    }
}

;// CONCATENATED MODULE: ./src/action/plan/restore.ts
/**
 * The restore's plan, once the snapshot is known: the new cluster's name (the template expanded
 * with the workflow run, the source cluster and the snapshot, made valid), or the tables request.
 */




/**
 * The new cluster's name. Without a template: the snapshot's name, cut to leave room for `-r` and
 * the run id, so two runs restoring one snapshot never ask for the same name.
 */
function restore_newClusterName(template, snapshot, source, workflow, now, log) {
    const values = tokenValues(workflow, source, now);
    try {
        if (template === undefined)
            return fitName(snapshot.name, `-r${values.run_id ?? values.timestamp ?? ''}`, 'cluster');
        const expanded = expandTemplate(template, { ...values, snapshot_name: snapshot.name }, 'cluster_name', RESTORE_TOKENS);
        const name = toDwsName(expanded, 'cluster');
        if (name.changes.length > 0)
            log.notice(`Cluster name ${quoteInput(expanded)} was made valid as '${name.value}': ${name.changes.join('; ')}.`);
        return name.value;
    }
    catch (error) {
        if (error instanceof DwsNameError)
            throw new InputError('cluster_name', error.message);
        throw error;
    }
}
function restore_tableRestoreRequest(snapshot, settings) {
    return { snapshotId: snapshot.id, ...settings };
}

;// CONCATENATED MODULE: external "node:fs/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");
;// CONCATENATED MODULE: ./src/action/plan/workflow.ts
/**
 * The workflow run as the name template sees it: the runner's GITHUB_* variables, and the pull
 * request's number from the event payload (the file at GITHUB_EVENT_PATH). Read here rather than
 * through @actions/github, whose import brings octokit and an HTTP client for eleven variables.
 */

async function workflow_readWorkflowContext(env) {
    const prNumber = pullRequestNumber(await readEvent(env.GITHUB_EVENT_PATH));
    return {
        repository: env.GITHUB_REPOSITORY,
        sha: env.GITHUB_SHA,
        refName: env.GITHUB_REF_NAME,
        runId: count(env.GITHUB_RUN_ID),
        runNumber: count(env.GITHUB_RUN_NUMBER),
        runAttempt: count(env.GITHUB_RUN_ATTEMPT),
        workflow: env.GITHUB_WORKFLOW,
        job: env.GITHUB_JOB,
        eventName: env.GITHUB_EVENT_NAME,
        actor: env.GITHUB_ACTOR,
        prNumber: prNumber === undefined ? undefined : String(prNumber)
    };
}
/** A run id or number as the template writes it: digits only, else undefined (the token then fails as unset). */
function count(value) {
    const n = Number.parseInt(value ?? '', 10);
    return Number.isFinite(n) ? String(n) : undefined;
}
/** The payload; without a readable file (a run by hand) there is none, and {pr_number} is unset. */
async function readEvent(path) {
    if (!path)
        return undefined;
    try {
        return JSON.parse(await (0,promises_namespaceObject.readFile)(path, 'utf8'));
    }
    catch {
        return undefined;
    }
}
/** pull_request.number, or issue.number when the issue is a pull request (a comment on one). */
function pullRequestNumber(payload) {
    if (typeof payload !== 'object' || payload === null)
        return undefined;
    const { pull_request: pr, issue } = payload;
    const number = pr?.number ?? (issue?.pull_request ? issue.number : undefined);
    return typeof number === 'number' && Number.isSafeInteger(number) && number > 0 ? number : undefined;
}

// EXTERNAL MODULE: ./src/auth/sign-in-error.ts
var sign_in_error = __nccwpck_require__(5190);
// EXTERNAL MODULE: ./src/kernel/time.ts
var time = __nccwpck_require__(884);
;// CONCATENATED MODULE: ./src/dws/busy.ts

/** The cluster kept answering "busy" until the step's waiting budget ran out. */
class busy_ClusterBusyError extends Error {
    last;
    constructor(last, waitedMs, cluster, 
    /** what it did not accept, e.g. `the snapshot` */
    refused = 'the snapshot') {
        super(`The cluster stayed busy for ${(0,time/* formatDuration */.a3)(waitedMs)} and did not accept ${refused}` +
            `${cluster ? ` (it is ${describeClusterState(cluster)})` : ''}; last answer: ${last.message}`);
        this.last = last;
        this.name = 'ClusterBusyError';
    }
}
/** Doubling from 5 s up to busyMaxDelayMs, with the upper half jittered so parallel jobs spread out. */
function busy_busyDelayMs(tries, pacing) {
    const ceiling = Math.min(pacing.busyMaxDelayMs, 5000 * 2 ** (tries - 1));
    const random = pacing.random ?? Math.random;
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
/** What the service said and when the step tries again, for the log. */
function busy_busyNotice(error, delayMs, waitedMs, cluster) {
    return (`The cluster is busy (${error.errorCode ?? ''}: ${error.errorMsg ?? 'another operation is running'})` +
        `${cluster ? `; it is ${describeClusterState(cluster)}` : ', often with an automated snapshot'}; ` +
        `trying again in ${formatDuration(delayMs)} (waited ${formatDuration(waitedMs)} so far, up to wait_timeout).`);
}
function describeClusterState(cluster) {
    const parts = [cluster.status ?? 'in an unknown state'];
    if (cluster.taskStatus)
        parts.push(`task ${cluster.taskStatus}`);
    if (cluster.subStatus && cluster.subStatus !== 'NORMAL')
        parts.push(`sub-status ${cluster.subStatus}`);
    return parts.join(', ');
}

;// CONCATENATED MODULE: ./src/dws/once.ts
/**
 * Exactly one: a request that makes one named thing (a snapshot, a restored cluster) is never sent
 * twice blindly. After any answer that leaves its outcome unknown (a timeout once it was sent, a
 * reset, a 5xx, a success that cannot be read), the name is looked up before the request is sent
 * again or the step gives up: a thing the lost request made is found and reported, never doubled.
 */


/** The request may have made its thing although its answer was lost, and no such thing was found yet. */
class once_OutcomeUnknownError extends Error {
    lastError;
    constructor(lastError, 
    /** what the user should know and do, e.g. that nothing by the name was found yet */
    advice) {
        super(`${lastError.message.replace(/\.$/, '')}. ${advice}`);
        this.lastError = lastError;
        this.name = 'OutcomeUnknownError';
    }
}
class once_OnceByName {
    lookUp;
    wanted;
    verb;
    /** a request may have been carried out although its answer was lost */
    mayExist = false;
    constructor(lookUp, 
    /** e.g. `snapshot named 'release-42'` */
    wanted, verb = 'A create') {
        this.lookUp = lookUp;
        this.wanted = wanted;
        this.verb = verb;
    }
    /** For withRetries' `beforeRetry`: after a lost answer, what the request may have made, before it is sent again. */
    beforeRetry = async (lastError) => {
        if (!outcomeUnknown(lastError))
            return undefined;
        this.mayExist = true;
        return this.lookUp();
    };
    /**
     * After the request failed for good: the thing, when a lost answer may have made it (or when the
     * service's refusal may mean someone else took the name meanwhile, `conflict`); else undefined.
     */
    async afterFailure(error, conflict = false) {
        if (outcomeUnknown(error) || (error instanceof RetriesExhaustedError && outcomeUnknown(error.last)))
            this.mayExist = true;
        return this.mayExist || conflict ? this.lookUp() : undefined;
    }
    /** The error to report: said to be of unknown outcome when the request may have been carried out. */
    failure(error) {
        if (!this.mayExist)
            return error;
        return new once_OutcomeUnknownError(error, `${this.verb} may have reached the service although its answer was lost, and no ${this.wanted} was found yet: ` +
            'look for it before running the step again.');
    }
}

;// CONCATENATED MODULE: ./src/dws/status.ts
/**
 * The statuses DWS reports, and what each means to the action: one vocabulary for creating,
 * waiting, reusing, retention and restoring. Pure.
 */
/** A snapshot being built. */
const status_SNAPSHOT_PENDING = new Set(['CREATING']);
/** A snapshot that can be restored from: AVAILABLE, or RESTORING (complete, being restored from). */
const status_SNAPSHOT_USABLE = new Set(['AVAILABLE', 'RESTORING']);
/** A snapshot that can never become usable. */
const status_SNAPSHOT_FAILED = new Set(['UNAVAILABLE', 'FROZEN', 'POLICE_FROZEN']);
/** A snapshot retention may delete: settled, neither in use nor frozen. */
const SNAPSHOT_DELETABLE = new Set(['AVAILABLE', 'UNAVAILABLE']);
/** Cluster statuses in which no snapshot can be taken and no table restored, however long one waits. */
const status_CLUSTER_OUT_OF_SERVICE = new Set([
    'UNAVAILABLE',
    'FAILED',
    'CREATE_FAILED',
    'DELETING',
    'DELETE_FAILED',
    'DELETED',
    'FROZEN',
    'POLICE_FROZEN'
]);
/** The cluster task that runs while a snapshot is taken, and may outlast the snapshot's AVAILABLE. */
const status_SNAPSHOTTING_TASK = 'SNAPSHOTTING';
/** A cluster that can be used: newer API pages also say ACTIVE. */
const status_CLUSTER_READY = new Set(['AVAILABLE', 'ACTIVE']);
/** A cluster whose creation (or restore) failed: it will never become usable. */
const status_CLUSTER_FAILED = new Set(['FAILED', 'CREATE_FAILED', 'CREATION FAILED']);
/** A cluster being built, e.g. from a snapshot. */
const status_CLUSTER_BUILDING = new Set(['CREATING']);
/** The cluster task that runs while a snapshot is restored into it. */
const status_RESTORING_TASK = 'RESTORING';
/** A job that ended well, or badly; the others (INIT, WAITING, RUNNING, ...) are waited on. */
const status_JOB_DONE = new Set(['SUCCESS']);
const status_JOB_FAILED = new Set(['FAIL', 'FAILED']);

;// CONCATENATED MODULE: ./src/dws/create.ts
/**
 * Getting exactly one snapshot for this step: refuse or reuse one that already has the name (only
 * of the same cluster), create otherwise, keep trying while the cluster is busy, and whenever a
 * create's outcome is unknown look the name up before creating again or giving up, so a retry
 * never makes a second snapshot and a snapshot that was made is never left unnamed.
 */






/** A snapshot with this name exists already (of this cluster) and if_exists is `fail`. */
class NameTakenError extends Error {
    existing;
    constructor(existing) {
        super(`A snapshot named '${existing.name}' already exists for this cluster (id ${existing.id}, status ${existing.status}` +
            `${existing.started ? `, started ${existing.started}` : ''}); it is not reused because if_exists is 'fail'.`);
        this.existing = existing;
        this.name = 'NameTakenError';
    }
}
/** Names are unique per project: a same-named snapshot of another cluster blocks the name and is never ours. */
class NameTakenByOtherClusterError extends Error {
    existing;
    constructor(existing, clusterId) {
        const owner = existing.clusterId ? `of cluster ${existing.clusterId}` : 'of a cluster the service did not name';
        super(`A snapshot named '${existing.name}' already exists ${owner} (id ${existing.id}), not of cluster ${clusterId}. ` +
            'Snapshot names are unique per project, so this name cannot be used for this cluster and that snapshot is not reused.');
        this.existing = existing;
        this.name = 'NameTakenByOtherClusterError';
    }
}
/** if_exists: reuse met a snapshot of that name that can never be used. */
class UnusableSnapshotError extends Error {
    existing;
    constructor(existing) {
        super(`The existing snapshot '${existing.name}' (id ${existing.id}) is ${existing.status}: it cannot be used, so it is not reused. ` +
            'Delete it or change the name template.');
        this.existing = existing;
        this.name = 'UnusableSnapshotError';
    }
}
/** The cluster is in a state that cannot take a snapshot at all: waiting would not help. */
class ClusterStateError extends Error {
    cluster;
    constructor(cluster) {
        super(`Cluster ${cluster.name ? `${cluster.name} (${cluster.id})` : cluster.id} is ${describeClusterState(cluster)}: ` +
            'a snapshot can only be taken while the cluster is Available, To be restarted or Unbalanced.');
        this.cluster = cluster;
        this.name = 'ClusterStateError';
    }
}
async function findByName(client, name, ctx) {
    return snapshotNamed(await withRetries(() => client.listSnapshots(new Set([name])), ctx), name);
}
/** Names are unique without regard to case. */
function snapshotNamed(snapshots, name) {
    const wanted = name.toLowerCase();
    return snapshots.find((s) => s.name.toLowerCase() === wanted);
}
/** The cluster a snapshot belongs to: the list may leave it out, the details carry it. */
async function withOwner(snapshot, ctx) {
    if (snapshot.clusterId)
        return snapshot;
    const details = await withRetries(() => ctx.client.getSnapshot(snapshot.id), ctx);
    return { ...snapshot, ...details };
}
async function obtainSnapshot(spec, ctx) {
    const existing = ctx.knownSnapshots ? snapshotNamed(ctx.knownSnapshots, spec.name) : await findByName(ctx.client, spec.name, ctx);
    if (existing)
        return reuseOrRefuse(await withOwner(existing, ctx), spec, ctx);
    return createWhenClusterAccepts(spec, ctx);
}
function reuseOrRefuse(existing, spec, ctx) {
    if (existing.clusterId !== spec.clusterId)
        throw new NameTakenByOtherClusterError(existing, spec.clusterId);
    if (ctx.ifExists === 'fail')
        throw new NameTakenError(existing);
    if (SNAPSHOT_FAILED.has(existing.status))
        throw new UnusableSnapshotError(existing);
    const age = snapshotAgeMs(existing, ctx.clock);
    ctx.log.info(`Reusing the existing snapshot '${existing.name}' (id ${existing.id}, status ${existing.status}` +
        `${age === undefined ? '' : `, taken ${formatDuration(age)} ago`}), as if_exists is 'reuse'.`);
    return { id: existing.id, created: false, found: existing };
}
function snapshotAgeMs(snapshot, clock) {
    const started = snapshot.started ? Date.parse(snapshot.started) : NaN;
    return Number.isNaN(started) ? undefined : Math.max(0, clock.now() - started);
}
/**
 * Creates the snapshot, trying again while the cluster answers busy (up to the deadline). After any
 * answer that leaves the outcome unknown, and before giving up or trying again, the name is looked
 * up: a lost create may have made our snapshot (the list can lag behind, so this repeats on every
 * busy answer), or another job may have taken the name.
 */
async function createWhenClusterAccepts(spec, ctx) {
    const { clock, log } = ctx;
    const startedAt = clock.now();
    const once = new OnceByName(() => lookUp(spec, ctx), `snapshot named '${spec.name}'`);
    let cluster;
    const create = async () => {
        const id = await withRetries(() => ctx.client.createSnapshot(spec), ctx, {
            beforeRetry: async (lastError) => {
                const found = await once.beforeRetry(lastError);
                return found && (await settleFound(found, spec, ctx, true)).id;
            }
        });
        return { id, created: true };
    };
    const judge = async (error, tries) => {
        // Before giving up or trying again: a lost create may have made our snapshot (the list can lag
        // behind, so this repeats on every busy answer), or another job may have taken the name.
        const found = await once.afterFailure(error, mayBeNameConflict(error));
        if (found)
            return { kind: 'settled', value: await settleFound(found, spec, ctx, once.mayExist) };
        if (!(error instanceof ApiError && isClusterBusy(error)))
            return { kind: 'give-up', error: once.failure(error) };
        if (tries === 1)
            cluster = await clusterStateOnBusy(spec.clusterId, ctx);
        const delayMs = busyDelayMs(tries, ctx);
        return {
            kind: 'again',
            delayMs,
            say: busyNotice(error, delayMs, clock.now() - startedAt, cluster),
            pastDeadline: () => once.failure(new ClusterBusyError(error, clock.now() - startedAt, cluster))
        };
    };
    // A busy answer is not a failed request: the pauses are this loop's, not counted as retries.
    return retry({ run: create, judge }, { clock, log, deadline: ctx.deadline, random: ctx.random });
}
/** A refused create that may mean the name was taken meanwhile (the code for that is undocumented). */
function mayBeNameConflict(error) {
    return error instanceof ApiError && failureKind(error) === 'permanent' && (error.status === 400 || error.status === 409);
}
/**
 * A same-named snapshot found after a create was tried. `ours`: a create of ours may have made it.
 * Otherwise another job won the race for the name: reuse its snapshot only as if_exists allows.
 */
async function settleFound(found, spec, ctx, ours) {
    const snapshot = await withOwner(found, ctx);
    if (snapshot.clusterId !== spec.clusterId)
        throw new NameTakenByOtherClusterError(snapshot, spec.clusterId);
    if (!ours)
        return reuseOrRefuse(snapshot, spec, ctx);
    ctx.log.info(`The lost create did reach the service: adopting snapshot '${snapshot.name}' (id ${snapshot.id}) instead of creating another.`);
    return { id: snapshot.id, created: true, found: snapshot };
}
/** The name looked up once; a failing list is not fatal, since the service refuses a second snapshot of one name. */
async function lookUp(spec, ctx) {
    try {
        return await findByName(ctx.client, spec.name, ctx);
    }
    catch (error) {
        ctx.log.warning(`Could not check whether snapshot '${spec.name}' exists (${error.message}).`);
        return undefined;
    }
}
/** What the cluster is doing, to explain a busy answer; fails fast when it can never take a snapshot. */
async function clusterStateOnBusy(clusterId, ctx) {
    let cluster;
    try {
        cluster = await withRetries(() => ctx.client.getCluster(clusterId), ctx);
    }
    catch (error) {
        // Reading the cluster needs its own permission; the busy answer stands on its own.
        ctx.log.debug(`Could not read the cluster's state: ${error.message}`);
        return undefined;
    }
    if (cluster.status !== undefined && CLUSTER_OUT_OF_SERVICE.has(cluster.status))
        throw new ClusterStateError(cluster);
    return cluster;
}

;// CONCATENATED MODULE: ./src/dws/watch.ts
/**
 * Watching something the service builds (a snapshot, a restored cluster, a table restore job) until
 * it is done, has failed, or the step's waiting budget runs out. A failed read is retried until the
 * deadline: an API blip during a long wait must not fail the step. Reads are scheduled from the
 * progress the service reports (poll.ts): sparse while the end is far, dense around it. Logs on
 * every status change and at least once a minute, never once per read, with the progress and,
 * when it predicts one, the time left.
 */




async function watch_watch(watched, ctx) {
    const { clock, log } = ctx;
    const since = clock.now();
    const samples = [];
    let lastStatus = '';
    let lastLogAt = since;
    for (;;) {
        const value = await withRetries(() => watched.read(), ctx, { untilDeadline: true, capMs: ctx.pollIntervalMs });
        const now = clock.now();
        const status = watched.status(value);
        const phase = watched.phase(value);
        const progress = phase === 'pending' ? await watched.progress(value, now) : undefined;
        if (progress?.sample)
            addSample(samples, progress.sample);
        const found = estimateEnd(samples);
        const estimate = typeof found === 'string' || phase !== 'pending' ? undefined : found;
        const line = (at, when) => `${watched.label}: ${status}${progress ? ` ${progress.text}` : ''} ${when}${timeLeft(estimate, at)}`;
        if (status !== lastStatus) {
            log.info(line(now, `after ${formatDuration(now - since)}`) +
                (phase === 'unknown' ? ' (a status this action does not know: waiting on until it changes or wait_timeout)' : ''));
            lastStatus = status;
            lastLogAt = now;
        }
        else if (now >= nextProgressLineAt(lastLogAt)) {
            log.info(line(now, `after ${formatDuration(now - since)}`));
            lastLogAt = now;
        }
        if (phase === 'done')
            return value;
        if (phase === 'failed')
            throw watched.failed(value);
        const wakeAt = nextPollAt({ now, pollIntervalMs: ctx.pollIntervalMs, deadline: ctx.deadline, estimate });
        if (wakeAt === undefined)
            throw watched.timedOut(value, now - since);
        log.debug(`Next read of ${watched.label} in ${formatDuration(wakeAt - now)} (${typeof found === 'string' ? `progress: ${found}` : 'from the progress estimate'})`);
        // A long gap between reads still gets a progress line every minute.
        while (clock.now() < wakeAt) {
            const nextLogAt = nextProgressLineAt(lastLogAt);
            await clock.sleep(Math.min(wakeAt, nextLogAt) - clock.now());
            const at = clock.now();
            if (at >= nextLogAt && at < wakeAt) {
                log.info(line(at, `at the last check, ${formatDuration(at - since)} elapsed`));
                lastLogAt = at;
            }
        }
    }
}
/** A progress text as read at `at`; undefined when there is none. */
function watch_progressReading(text, at) {
    if (text === undefined || text === '')
        return undefined;
    const parsed = parsePercent(text);
    return { text, sample: parsed && { at, ...parsed } };
}
/** ', about 4m left' from the estimate, rounded to what an estimate can promise. */
function timeLeft(estimate, now) {
    if (estimate === undefined)
        return '';
    const left = estimate.endAt - now;
    if (left < 60_000)
        return ', less than a minute left';
    return `, about ${formatDuration(Math.round(left / 60_000) * 60_000)} left`;
}

;// CONCATENATED MODULE: ./src/dws/progress-reader.ts
/**
 * Where a waiting step reads a snapshot's progress: the snapshot's own `progress`, or, when that is
 * missing, the cluster's `action_progress.SNAPSHOTTING`. The cluster costs one more call per poll,
 * so it is read only while it helps: never again after it is refused (reading it needs its own
 * permission) or after a few answers without a usable value. Its failures never fail the wait.
 */



/** Cluster answers without a usable progress after which the cluster is not asked again. */
const CLUSTER_TRIES = 3;
class progress_reader_ProgressReader {
    client;
    clusterId;
    log;
    clusterMisses = 0;
    clusterHelped = false;
    clusterOff = false;
    constructor(client, clusterId, log) {
        this.client = client;
        this.clusterId = clusterId;
        this.log = log;
    }
    /** The progress to show and estimate from at `at`; undefined when neither source has one. */
    async read(snapshot, at) {
        const own = progressReading(snapshot.progress, at);
        if (own?.sample !== undefined || !SNAPSHOT_PENDING.has(snapshot.status))
            return own;
        return (await this.fromCluster(at)) ?? own;
    }
    async fromCluster(at) {
        if (this.clusterOff)
            return undefined;
        let text;
        try {
            text = (await this.client.getCluster(this.clusterId)).actionProgress?.[SNAPSHOTTING_TASK];
        }
        catch (error) {
            // Progress is a bonus: a passing fault skips this poll, anything else ends the cluster reads.
            if (failureKind(error) !== 'transient') {
                this.clusterOff = true;
                this.log.debug(`Not reading the cluster's progress any more: ${error.message}`);
            }
            return undefined;
        }
        const found = progressReading(text, at);
        if (found?.sample !== undefined) {
            this.clusterHelped = true;
            return found;
        }
        if (!this.clusterHelped && ++this.clusterMisses >= CLUSTER_TRIES)
            this.clusterOff = true;
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/dws/wait.ts
/**
 * Waiting for a snapshot until it is usable, has failed, or the step's waiting budget runs out
 * (watch.ts); then, within the same budget, until the cluster has left its snapshot task, so that
 * the next step (a migration that changes the cluster) does not meet "cluster busy".
 */





class SnapshotFailedError extends Error {
    snapshot;
    constructor(snapshot) {
        super(`Snapshot '${snapshot.name || snapshot.id}' (id ${snapshot.id}) ended ${snapshot.status} on the service: it cannot be used.`);
        this.snapshot = snapshot;
        this.name = 'SnapshotFailedError';
    }
}
class WaitTimeoutError extends Error {
    snapshot;
    waitedMs;
    constructor(snapshot, waitedMs) {
        super(`Snapshot ${snapshot.id} is still ${snapshot.status} after waiting ${(0,time/* formatDuration */.a3)(waitedMs)}: the service goes on building it. ` +
            'Raise wait_timeout to wait longer (and the job timeout-minutes above it), or set wait: false and check it later.');
        this.snapshot = snapshot;
        this.waitedMs = waitedMs;
        this.name = 'WaitTimeoutError';
    }
}
async function waitUntilUsable(id, clusterId, ctx) {
    const snapshot = await pollSnapshot(id, clusterId, ctx);
    await waitForClusterTask(snapshot, clusterId, ctx);
    return snapshot;
}
function pollSnapshot(id, clusterId, ctx) {
    const reader = new ProgressReader(ctx.client, clusterId, ctx.log);
    return watch({
        label: `Snapshot ${id}`,
        read: async () => {
            const snapshot = await ctx.client.getSnapshot(id);
            ctx.onUpdate(snapshot);
            return snapshot;
        },
        status: (snapshot) => snapshot.status,
        phase: (snapshot) => SNAPSHOT_USABLE.has(snapshot.status)
            ? 'done'
            : SNAPSHOT_FAILED.has(snapshot.status)
                ? 'failed'
                : SNAPSHOT_PENDING.has(snapshot.status)
                    ? 'pending'
                    : 'unknown',
        progress: (snapshot, at) => reader.read(snapshot, at),
        failed: (snapshot) => new SnapshotFailedError(snapshot),
        timedOut: (snapshot, waitedMs) => new WaitTimeoutError(snapshot, waitedMs)
    }, ctx);
}
/**
 * After AVAILABLE the cluster may still report the snapshot task for a while. Waits (within the
 * deadline) until it has left it; at the deadline the snapshot is still usable, so this only warns.
 */
async function waitForClusterTask(snapshot, clusterId, ctx) {
    const { clock, log } = ctx;
    if (snapshot.clusterTaskStatus !== undefined && snapshot.clusterTaskStatus !== SNAPSHOTTING_TASK)
        return;
    const since = clock.now();
    let announced = false;
    for (;;) {
        let task;
        try {
            const cluster = await withRetries(() => ctx.client.getCluster(clusterId), ctx, { untilDeadline: true, capMs: ctx.pollIntervalMs });
            ctx.onCluster?.(cluster);
            task = cluster.taskStatus;
        }
        catch (error) {
            // Reading the cluster needs its own permission; the snapshot is usable either way.
            log.debug(`Could not read the cluster's task after the snapshot finished: ${error.message}`);
            return;
        }
        if (task !== SNAPSHOTTING_TASK) {
            if (announced)
                log.info(`The cluster has left its snapshot task after ${formatDuration(clock.now() - since)}.`);
            return;
        }
        const remaining = ctx.deadline - clock.now();
        if (remaining <= 0) {
            log.warning(`Snapshot ${snapshot.id} is ${snapshot.status}, but the cluster still reports the task ${SNAPSHOTTING_TASK} at wait_timeout: ` +
                'a following step that changes the cluster may be refused as busy for a while.');
            return;
        }
        if (!announced)
            log.info(`Snapshot ${snapshot.id} is ${snapshot.status}; waiting for the cluster to finish its snapshot task.`);
        announced = true;
        await clock.sleep(Math.min(ctx.pollIntervalMs, remaining));
    }
}

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: ./src/action/runner/commands.ts
/**
 * The runner's protocol, spoken directly: workflow commands on stdout (`::error title=…::message`,
 * escaped the way the runner unescapes them) and file commands (`name<<delimiter` blocks appended
 * to GITHUB_OUTPUT or GITHUB_STATE). @actions/core speaks the same, but importing it evaluates its
 * HTTP client at start-up, which every run would pay for; it is loaded only for the ID token. A test
 * checks these lines against @actions/core's own. Pure.
 */
/** `::command key=value,…::message`; properties without a value are left out, as the runner ignores them. */
function workflowCommand(command, properties, message) {
    const props = Object.entries(properties)
        .filter((entry) => entry[1] !== undefined && entry[1] !== '')
        .map(([key, value]) => `${key}=${escapeProperty(value)}`);
    return `::${command}${props.length > 0 ? ` ${props.join(',')}` : ''}::${escapeData(message)}`;
}
/** A file command's block; the delimiter is random per block, so no value can end it early. */
function keyValueBlock(name, value, delimiter, eol) {
    if (name.includes(delimiter) || value.includes(delimiter))
        throw new Error(`${name}: the value contains the file command's delimiter`);
    return `${name}<<${delimiter}${eol}${value}${eol}${delimiter}${eol}`;
}
/** The env variable the runner gives an input in: `INPUT_` and the name upper-cased, spaces as `_`. */
function inputVariable(name) {
    return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}
function escapeData(text) {
    return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(text) {
    return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

;// CONCATENATED MODULE: ./src/action/runner/io.ts
/**
 * The action's port to the runner: inputs, outputs, saved state, masking, log and annotations, the
 * job summary, the environment and GitHub's ID token. `runnerIO` binds it to the runner (the only
 * binding in the bundles); tests run a whole action in-process through an in-memory one.
 */





/** The results cannot be published: nothing is changed on the service. */
class ResultFileError extends Error {
    constructor(problem) {
        super(`The step cannot publish its result: ${problem}. Nothing was changed on the service.`);
        this.name = 'ResultFileError';
    }
}
/** The env variable naming each result file. */
const RESULT_FILES = { outputs: 'GITHUB_OUTPUT', state: 'GITHUB_STATE' };
/** The binding to the runner: its environment, its file commands and its workflow commands on stdout. */
function io_runnerIO(env = process.env) {
    const say = (line) => void process.stdout.write(`${line}${external_node_os_namespaceObject.EOL}`);
    const command = (name, message, title) => say(workflowCommand(name, { title }, message));
    /** A file command, or the older stdout command where the runner gives no file (a run by hand). */
    const keep = (file, name, value) => {
        const path = env[RESULT_FILES[file]];
        if (!path) {
            say(file === 'outputs' ? `${external_node_os_namespaceObject.EOL}${workflowCommand('set-output', { name }, value)}` : workflowCommand('save-state', { name }, value));
            return;
        }
        (0,external_node_fs_namespaceObject.appendFileSync)(path, keyValueBlock(name, value, `ghadelimiter_${(0,external_node_crypto_.randomUUID)()}`, external_node_os_namespaceObject.EOL), 'utf8');
    };
    return {
        env,
        getInput: (name) => (env[inputVariable(name)] ?? '').trim(),
        setOutput: (name, value) => keep('outputs', name, value),
        saveState: (name, value) => keep('state', name, value),
        getState: (name) => env[`STATE_${name}`] ?? '',
        resultFileProblem: (file) => {
            const variable = RESULT_FILES[file];
            const path = env[variable];
            // Without the file (a run by hand), the values go to stdout as workflow commands instead.
            return path ? unwritableFile(path, variable) : undefined;
        },
        setSecret: (value) => say(workflowCommand('add-mask', {}, value)),
        isDebug: () => env.RUNNER_DEBUG === '1' || env.ACTIONS_STEP_DEBUG === 'true',
        info: (message) => say(message),
        debug: (message) => say(workflowCommand('debug', {}, message)),
        notice: (message, title) => command('notice', message, title),
        warning: (message, title) => command('warning', message, title),
        error: (message, title) => command('error', message, title),
        appendSummary: async (markdown) => {
            if (env.GITHUB_STEP_SUMMARY)
                await (0,promises_namespaceObject.appendFile)(env.GITHUB_STEP_SUMMARY, markdown, 'utf8');
        },
        appendSummarySync: (markdown) => {
            if (env.GITHUB_STEP_SUMMARY)
                (0,external_node_fs_namespaceObject.appendFileSync)(env.GITHUB_STEP_SUMMARY, markdown, 'utf8');
        },
        // Only keyless sign-in asks for it: @actions/core (and its HTTP client) load on that run alone.
        getIDToken: async (audience) => (await __nccwpck_require__.e(/* import() */ 889).then(__nccwpck_require__.bind(__nccwpck_require__, 1889))).getIDToken(audience),
        setExitCode: (code) => {
            process.exitCode = code;
        }
    };
}
/** The step appends to the file the runner made: it must exist, be a file, and be writable. */
function unwritableFile(path, variable) {
    try {
        if (!(0,external_node_fs_namespaceObject.statSync)(path).isFile())
            return `${variable} (${path}) is not a file`;
        (0,external_node_fs_namespaceObject.accessSync)(path, external_node_fs_namespaceObject.constants.W_OK);
        return undefined;
    }
    catch (error) {
        return `${variable} (${path}) cannot be written (${error.code ?? error.message})`;
    }
}

;// CONCATENATED MODULE: ./src/action/report/titles.ts
/**
 * Every title an annotation of either action can carry, in one place: docs/TROUBLESHOOTING.md has a
 * section for each (a test checks it), and each annotation links to its section. On the runner the
 * title is prefixed with the action's name, so in a job with several actions the reader knows which
 * one spoke.
 */


/** Titles of the failures describeFailure (failure.ts) and the step report. */
const FAILURE_TITLES = (/* unused pure expression or super */ null && ([
    'Invalid input',
    'Snapshot name already taken',
    'Snapshot name taken by another cluster',
    'Existing snapshot unusable',
    'Cluster cannot take a snapshot',
    'Cluster busy',
    'Cluster not found',
    'Snapshot failed on the service',
    'Snapshot not ready in time',
    'Outputs not written',
    'No GitHub ID token',
    'Keyless sign-in failed',
    'Snapshot not found',
    'Snapshot not restorable',
    'Restore failed on the service',
    'Cluster not ready in time',
    'Cluster cannot restore tables',
    'Tables rejected',
    'Table restore failed',
    'Table restore not done in time',
    'Cluster not deleted',
    'Unexpected error'
]));
/** Titles of warnings. */
const WARNING_TITLES = (/* unused pure expression or super */ null && (['Unknown input']));
/**
 * The calls whose failures carry their own title: `<name> failed`, or `<name> kept failing` after
 * every attempt. Not the delete of a cluster: however it fails, the annotation is `Cluster not
 * deleted`, naming the cluster that may go on costing.
 */
const TITLED_OPERATIONS = [
    iam/* LOOK_UP_PROJECT */.eQ,
    ...DWS_OPERATIONS.filter((operation) => operation !== DWS.deleteCluster)
];
function requestTitle(operation, outcome) {
    return `${operation.name} ${outcome}`;
}
/** All titles, for the documentation check. */
function allTitles() {
    return [
        ...FAILURE_TITLES,
        ...WARNING_TITLES,
        ...TITLED_OPERATIONS.flatMap((operation) => [requestTitle(operation, 'failed'), requestTitle(operation, 'kept failing')])
    ];
}
/** The title as the runner shows it: `DWS snapshot: Invalid input`. */
function annotationTitle(actionName, title) {
    return `${actionName}: ${title}`;
}

;// CONCATENATED MODULE: ./src/action/report/failure.ts
/**
 * Turns whatever stopped the run into the one annotation the user sees: a title, a message, and a
 * hint that says what to fix. Every hint lives here; the permissions come from the operation that
 * failed. Pure.
 */













function describeFailure(error, context = {}, own) {
    const failure = (title, message, hint = '') => ({ title, message, hint, expected: true });
    if (error instanceof input_error_InputError)
        return failure('Invalid input', error.message, error.hint);
    if (error instanceof ResultFileError) {
        return failure('Outputs not written', error.message, 'Check the runner: its file commands (GITHUB_OUTPUT, GITHUB_STATE) must be writable.');
    }
    if (error instanceof github_id_token/* NoIdTokenError */.U4)
        return failure('No GitHub ID token', `${error.message}.`, NO_ID_TOKEN_HINT);
    if (error instanceof github_id_token/* IdTokenError */.Z4)
        return failure('No GitHub ID token', `${error.message}.`, idTokenHint(error));
    if (error instanceof sign_in_error/* SignInError */.J) {
        return failure('Keyless sign-in failed', `${SIGN_IN_NAMES[error.way]} failed: ${error.message}. The GitHub ID token's claims: ${(0,github_id_token/* describeClaims */.Zs)(error.claims)}.`, signInHint(error, context));
    }
    if (error instanceof iam/* ProjectLookupError */.OF)
        return failure('Invalid input', new input_error_InputError('project_id', `is empty and ${error.message}`).message);
    if (error instanceof once_OutcomeUnknownError) {
        const inner = describeFailure(error.lastError, context, own);
        return { ...inner, message: error.message };
    }
    if (error instanceof NameTakenError) {
        return failure('Snapshot name already taken', error.message, 'Use a name template that is unique per run (the default includes {run_id} and {run_attempt}), delete the old snapshot, or set if_exists: reuse to adopt it.');
    }
    if (error instanceof NameTakenByOtherClusterError) {
        return failure('Snapshot name taken by another cluster', error.message, 'Include {cluster_id} in the name template, or pick another name: names are unique across all clusters of the project.');
    }
    if (error instanceof UnusableSnapshotError)
        return failure('Existing snapshot unusable', error.message);
    if (error instanceof ClusterStateError) {
        return failure('Cluster cannot take a snapshot', error.message, 'Check the cluster in the DWS console and bring it back to Available first.');
    }
    if (error instanceof busy_ClusterBusyError)
        return failure('Cluster busy', error.message, hintFor(error.last, context));
    if (error instanceof errors/* ApiError */.hD && (0,errors/* isClusterNotFound */.Uk)(error)) {
        return failure('Cluster not found', clusterNotFoundMessage(error, context), clusterNotFoundHint(error.operation, context));
    }
    if (error instanceof cloud_retry/* RetriesExhaustedError */.i5) {
        if ((0,errors/* isClusterNotFound */.Uk)(error.last))
            return describeFailure(error.last, context, own);
        const attempts = error.atDeadline
            ? 'The step gave up as its waiting budget ran out: raise wait_timeout if the service needs longer to recover.'
            : `It failed ${error.attempts} times in a row (max_attempts: ${context.maxAttempts ?? error.attempts}); raise max_attempts for a flakier network.`;
        return failure(requestTitle(operationOf(error.last), 'kept failing'), error.message, `${hintFor(error.last, context)} ${attempts}`);
    }
    if (error instanceof errors/* ApiError */.hD || error instanceof errors/* TransportError */.wX) {
        return failure(requestTitle(error.operation, 'failed'), error.message, hintFor(error, context));
    }
    if (error instanceof errors/* UnreadableAnswerError */.mP || error instanceof answers/* UnexpectedAnswerError */.qx) {
        return failure(requestTitle(error.operation, 'failed'), error.message, 'Something other than the DWS service may have answered: check endpoint and proxy settings (https_proxy/no_proxy), then run the step again.');
    }
    if (error instanceof SnapshotFailedError) {
        return failure('Snapshot failed on the service', error.message, 'Check the cluster in the DWS console (its state and failed_reasons), then run the step again.');
    }
    if (error instanceof WaitTimeoutError)
        return failure('Snapshot not ready in time', error.message);
    const owned = own?.(error, context, failure);
    if (owned)
        return owned;
    if (error instanceof Error)
        return { title: 'Unexpected error', message: error.message, hint: '', expected: false };
    return { title: 'Unexpected error', message: `Unexpected failure: ${String(error)}`, hint: '', expected: false };
}
const SIGN_IN_NAMES = {
    'oidc-sts': 'Keyless sign-in through STS',
    'oidc-iam': 'Keyless sign-in through the IAM v3 identity provider'
};
const NO_ID_TOKEN_HINT = 'Add `permissions: id-token: write` to the job (with `contents: read`). Pull requests from forks get no ID token: run keyless steps on push, release or workflow_dispatch.';
function idTokenHint(error) {
    return /Error Code\s*:\s*40[134]\b/.test(error.message)
        ? 'GitHub refused to issue an ID token: check that the job has `permissions: id-token: write`.'
        : `GitHub's token service did not answer: try again later. The audience asked for was '${error.audience}' (oidc_audience).`;
}
/** The trust condition most likely to have failed, from the service's words; oidc:sub unless they say otherwise. */
function signInHint(error, context) {
    const last = error.last;
    if (!(last instanceof errors/* ApiError */.hD))
        return hintFor(last, context);
    const said = `${last.errorCode ?? ''} ${last.errorMsg ?? ''}`;
    if (/expired|\bexp\b/i.test(said)) {
        return "The ID token had expired when the service read it: check the runner's clock (self-hosted runners), then run the step again.";
    }
    const sts = error.way === 'oidc-sts';
    if (last.status === 400 && sts) {
        return 'Check oidc_provider_urn and agency_urn (iam::<account-id>:oidcProvider:<name>, iam::<account-id>:agency:<name>), and that session_duration is at most the agency’s maximum session duration.';
    }
    if (last.status === 404) {
        return sts
            ? 'The OIDC provider or the agency does not exist in this account, or sts_endpoint is wrong: check oidc_provider_urn, agency_urn and sts_endpoint.'
            : 'No identity provider has this idp_id in this IAM endpoint’s account: check idp_id and iam_endpoint (or region).';
    }
    if (last.status !== 401 && last.status !== 403)
        return hintFor(last, context);
    if (/\baud(ience)?\b|client.?id/i.test(said)) {
        return sts
            ? 'Condition oidc:aud: oidc_audience must be one of the OIDC provider’s client ids, and the agency’s trust policy must allow it.'
            : 'The identity provider’s client id must equal oidc_audience.';
    }
    if (/\biss(uer)?\b/i.test(said)) {
        return 'Condition oidc:iss: the provider’s issuer must be https://token.actions.githubusercontent.com (or your enterprise’s issuer).';
    }
    if (/signature|signing key|jwks|\bkid\b/i.test(said)) {
        return sts
            ? 'The ID token’s signature was not accepted: check the OIDC provider’s issuer URL and thumbprint.'
            : 'The ID token’s signature was not accepted: IAM v3 keeps a copy of GitHub’s signing keys; paste the current JWKS (https://token.actions.githubusercontent.com/.well-known/jwks) into the identity provider’s signing key.';
    }
    return sts
        ? 'Condition oidc:sub: the agency’s trust policy must match the sub claim above (a branch, an environment, a tag and a pull request each give a different sub; repositories created or renamed since 2026-07-15 use repo:<owner>@<id>/<repo>@<id>:…), with oidc_provider_urn as the federated principal.'
        : 'The identity provider’s mapping rules must match the claims above (remote conditions on sub or repository), and map to a user group with DWS permissions in this project.';
}
function operationOf(error) {
    return error instanceof errors/* ApiError */.hD || error instanceof errors/* TransportError */.wX || error instanceof errors/* UnreadableAnswerError */.mP
        ? error.operation
        : { name: 'A request' };
}
function where(context) {
    const parts = [context.projectId ? `project ${context.projectId}` : '', context.region ? `region ${context.region}` : ''];
    return parts.filter(Boolean).join(', ') || 'this project and region';
}
function clusterNotFoundMessage(error, context) {
    return (`Cluster ${context.clusterId ?? '(unknown id)'} was not found in ${where(context)}, or these credentials have no permission for it ` +
        `(${error.message}).`);
}
function clusterNotFoundHint(operation, context) {
    const permission = operation.permission
        ? `the IAM user or agency needs ${operation.permission} for this cluster`
        : 'check the IAM policies';
    if (context.clusterRestored) {
        return `The cluster this step restored is gone: look in the DWS console's operation log for who deleted it; if it is still listed there, ${permission}.`;
    }
    return (`Check cluster_id (the console shows it on the cluster's Basic Information page) and that region${context.region ? ` (${context.region})` : ''} ` +
        `is the cluster's region; if both are right, ${permission}.`);
}
function credentialsFrom(context) {
    switch (context.credentialSource) {
        case undefined:
            return 'the credentials';
        case 'input':
            return 'the credentials from the inputs';
        default:
            return `the credentials from env ${context.credentialSource}`;
    }
}
/** What the user should check or change, in one sentence. */
function hintFor(error, context = {}) {
    if (error instanceof errors/* TransportError */.wX)
        return transportHint(error);
    if (!(error instanceof errors/* ApiError */.hD))
        return '';
    const { status, errorMsg } = error;
    if ((0,errors/* isClusterBusy */.w7)(error)) {
        return 'The cluster is running another operation (often an automated snapshot) or is not in a state that allows snapshots; try again later or raise wait_timeout.';
    }
    if (status === 401)
        return authHint(error, context);
    if (status === 403) {
        const permission = error.operation.permission;
        const decode = error.encodedAuthorizationMessage
            ? ' The answer carries an encoded authorization message: decode it with the STS decode-authorization-message API to see which policy denied it.'
            : '';
        return permission
            ? `The resource does not exist or you have no permission for it: the IAM user or agency needs ${permission} in this project (and region).${decode}`
            : `The IAM user or agency is not allowed to ${error.operation.name.toLowerCase()}: check its policies for this project.${decode}`;
    }
    if (status === 404) {
        return 'Check region, endpoint, project_id and cluster_id: one of them does not match an existing cluster in this account.';
    }
    if (status === 407)
        return transportHintFor('proxy-auth', '');
    if (status === 400 && /name/i.test(errorMsg ?? '')) {
        return 'Snapshot names must be unique, 4-64 characters, start with a letter and use only letters, digits, - and _: change the name template.';
    }
    if (status === 429)
        return 'The API is throttling requests: try again later, or lower how many jobs call it at once.';
    if (status === 503)
        return 'The service is unavailable for the moment: try again later.';
    if (status >= 500) {
        return error.bodyExcerpt !== undefined
            ? 'A gateway or proxy answered instead of the service: check endpoint and proxy settings, or try again later.'
            : 'The service had an internal error: try again later.';
    }
    if (error.bodyExcerpt !== undefined) {
        return 'Something other than the DWS service answered: check endpoint and proxy settings (https_proxy/no_proxy).';
    }
    return 'The service rejected the request: check the inputs named in the message.';
}
function authHint(error, context) {
    if (context.credentialSource === 'oidc-sts' || context.credentialSource === 'oidc-iam') {
        return 'The credentials from the keyless sign-in were refused, also after signing in again: check that the agency (or the federated user’s group) may call DWS in this region and project, and that endpoint is in the region of the sign-in.';
    }
    const from = credentialsFrom(context);
    switch ((0,errors/* authFailureOf */.MS)(error)) {
        case 'clock':
            return "The runner's clock is more than 15 minutes off the service's: requests are signed with the time. Fix the clock (NTP) on a self-hosted runner.";
        case 'expired-token':
            return `The IAM token has expired or belongs to another region (${from}): get a new token for this region.`;
        case 'unknown-key':
            return `The service does not know the access key (${from}): check access_key_id, and that the key is enabled and belongs to this cloud (Huawei Cloud, Europe or Open Telekom Cloud).`;
        case 'signature':
            return `Signature mismatch with ${from}: secret_access_key does not belong to access_key_id, or temporary keys are missing their security_token.`;
        default:
            return `Check ${from}: access_key_id/secret_access_key (and security_token for temporary keys) or auth_token.`;
    }
}
function transportHint(error) {
    return transportHintFor(error.failure, error.host);
}
function transportHintFor(failure, host) {
    switch (failure) {
        case 'dns':
            return `The host ${host} does not resolve: check region and endpoint.`;
        case 'tls':
            return `The TLS connection to ${host} failed: check endpoint and proxy settings; a private CA can be added with NODE_EXTRA_CA_CERTS.`;
        case 'timeout':
            return `${host} did not answer in time: check network and proxy settings, or raise request_timeout.`;
        case 'proxy-auth':
            return 'The proxy requires authentication: put its user and password in https_proxy (https://user:password@proxy:port), or add the host to no_proxy.';
        case 'too-large':
            return `The answer from ${host} was larger than this action accepts: check endpoint and proxy settings.`;
        case 'encoding':
            return `The answer from ${host} used a compression this action cannot decode: check proxy settings.`;
        case 'invalid-request':
            return 'A credential or another input holds a character that cannot be sent in an HTTP header: copy it again without spaces or line breaks.';
        default:
            return `Could not reach ${host}: check endpoint, network and proxy settings (https_proxy/no_proxy).`;
    }
}
/** What the run knows from its cloud inputs, for the messages of any failure. */
function failure_cloudFailureContext(config) {
    return {
        region: config.region,
        projectId: config.projectId,
        credentialSource: config.credentialSource,
        maxAttempts: config.maxAttempts
    };
}

;// CONCATENATED MODULE: ./src/dws/gone.ts
/**
 * Confirming a deletion: the service accepts a DELETE and removes the thing later (or, for some
 * states, not at all), so a deletion counts only once a read says the thing is gone.
 */

/** True once a read fails the way `isGone` recognises; false when the thing still shows after every check or at the deadline. */
async function confirmGone(read, isGone, checks, ctx) {
    const { clock } = ctx;
    for (let check = 1;; check++) {
        try {
            await (0,cloud_retry/* withRetries */.LH)(read, ctx);
        }
        catch (error) {
            if (isGone(error))
                return true;
            throw error;
        }
        const pastDeadline = ctx.deadline !== undefined && clock.now() + checks.intervalMs > ctx.deadline;
        if (check >= checks.times || pastDeadline)
            return false;
        await clock.sleep(checks.intervalMs);
    }
}

;// CONCATENATED MODULE: ./src/dws/restore.ts
/**
 * Restoring a snapshot into a new cluster: find the snapshot and refuse one that is not usable,
 * refuse a cluster name already taken, send the restore exactly once (after a lost answer the name
 * is looked up, and a cluster found is adopted, never a second made), then watch the new cluster
 * until it can be used. Nothing here knows GitHub Actions or an input's name.
 */







/** No snapshot has that id, or that name in the cluster (with the closest names it has). */
class SnapshotNotFoundError extends Error {
    choice;
    closest;
    ambiguous;
    constructor(choice, closest = [], 
    /** several snapshots of the cluster have the name, differing only in case */
    ambiguous = []) {
        super('id' in choice
            ? `no snapshot has the id ${choice.id} in this project`
            : ambiguous.length > 0
                ? `${ambiguous.length} snapshots of cluster ${choice.clusterId} are named '${choice.name}' but for case ` +
                    `(${ambiguous.map((s) => `'${s.name}' ${s.id}`).join(', ')}): give snapshot_id instead`
                : `cluster ${choice.clusterId} has no snapshot named '${choice.name}'` +
                    (closest.length > 0 ? ` (closest: ${closest.map((name) => `'${name}'`).join(', ')})` : ''));
        this.choice = choice;
        this.closest = closest;
        this.ambiguous = ambiguous;
        this.name = 'SnapshotNotFoundError';
    }
}
/** The snapshot exists but is not AVAILABLE: nothing is restored from it. */
class SnapshotNotRestorableError extends Error {
    snapshot;
    constructor(snapshot) {
        super(`Snapshot '${snapshot.name}' (id ${snapshot.id}) is ${snapshot.status}: only an AVAILABLE snapshot can be restored. ` +
            'Nothing was restored.');
        this.snapshot = snapshot;
        this.name = 'SnapshotNotRestorableError';
    }
}
/** A cluster of the project already has the name (names are compared without case). */
class ClusterNameTakenError extends Error {
    clusterName;
    existing;
    constructor(clusterName, existing) {
        super(`cluster '${existing.name ?? clusterName}' (id ${existing.id}) already has the name '${clusterName}' in this project`);
        this.clusterName = clusterName;
        this.existing = existing;
        this.name = 'ClusterNameTakenError';
    }
}
/** The restored cluster ended in a failed state. */
class RestoreFailedError extends Error {
    cluster;
    constructor(cluster) {
        super(`Cluster ${describe(cluster)} ended ${cluster.status ?? 'failed'} on the service: the restore failed.` +
            (cluster.failedReasons !== undefined ? ` The cluster reports: ${cluster.failedReasons}` : ''));
        this.cluster = cluster;
        this.name = 'RestoreFailedError';
    }
}
class ClusterNotReadyError extends Error {
    cluster;
    waitedMs;
    constructor(cluster, waitedMs) {
        super(`Cluster ${describe(cluster)} is still ${cluster.status ?? 'not ready'} after waiting ${(0,time/* formatDuration */.a3)(waitedMs)}: the service ` +
            'goes on restoring it. Raise wait_timeout to wait longer (and the job timeout-minutes above it), or set wait: false.');
        this.cluster = cluster;
        this.waitedMs = waitedMs;
        this.name = 'ClusterNotReadyError';
    }
}
/** The snapshot, which must be AVAILABLE. */
async function restore_snapshotToRestore(choice, ctx) {
    const snapshot = 'id' in choice ? await snapshotById(choice.id, ctx) : await snapshotByName(choice, ctx);
    if (snapshot.status !== 'AVAILABLE')
        throw new SnapshotNotRestorableError(snapshot);
    return snapshot;
}
async function snapshotById(id, ctx) {
    try {
        return await withRetries(() => ctx.client.getSnapshot(id), ctx);
    }
    catch (error) {
        // The service answers an unknown snapshot id with 400 DWS.5149.
        if (error instanceof ApiError && error.errorCode === 'DWS.5149')
            throw new SnapshotNotFoundError({ id });
        throw error;
    }
}
/** Among the cluster's snapshots: the exact name, or the one that differs only in case. */
async function snapshotByName(choice, ctx) {
    const snapshots = await withRetries(() => ctx.client.listClusterSnapshots(choice.clusterId), ctx);
    const exact = snapshots.find((s) => s.name === choice.name);
    if (exact)
        return exact;
    const wanted = choice.name.toLowerCase();
    const sameButCase = snapshots.filter((s) => s.name.toLowerCase() === wanted);
    const [only] = sameButCase;
    if (only !== undefined && sameButCase.length === 1)
        return only;
    if (sameButCase.length > 1)
        throw new SnapshotNotFoundError(choice, [], sameButCase);
    const names = snapshots.map((s) => s.name);
    throw new SnapshotNotFoundError(choice, closestMatches(choice.name, names, { most: 3 }));
}
/** Refuses a name a cluster of the project (`clusters`, the project's list) already has. */
function restore_checkClusterNameFree(name, clusters) {
    const taken = named(name, clusters);
    if (taken)
        throw new ClusterNameTakenError(name, taken);
}
/** Names are compared without case, as the service does. */
function named(name, clusters) {
    const wanted = name.toLowerCase();
    return clusters.find((c) => c.name?.toLowerCase() === wanted);
}
async function clusterNamed(name, ctx) {
    return named(name, await withRetries(() => ctx.client.listClusters(), ctx));
}
/** Sends the restore; a cluster found by name after a lost answer is adopted, never a second made. */
async function restore_restoreOnce(request, ctx) {
    const name = request.clusterName;
    const once = new OnceByName(() => restore_lookUp(name, ctx), `cluster named '${name}'`, 'A restore');
    /** set when a cluster is found by name before a resend */
    const adoption = {};
    try {
        const clusterId = await withRetries(() => ctx.client.restoreCluster(request), ctx, {
            beforeRetry: async (lastError) => (adoption.id = (await once.beforeRetry(lastError))?.id)
        });
        const adopted = adoption.id === clusterId;
        if (adopted)
            ctx.log.info(`The lost restore did reach the service: adopting cluster '${name}' (id ${clusterId}).`);
        return { clusterId, adopted };
    }
    catch (error) {
        const found = await once.afterFailure(error, nameTakenMeanwhile(error));
        if (found && once.mayExist) {
            ctx.log.info(`The lost restore did reach the service: adopting cluster '${name}' (id ${found.id}).`);
            return { clusterId: found.id, adopted: true };
        }
        // The name was free a moment ago: another job took it. Its cluster is not ours.
        if (found)
            throw new ClusterNameTakenError(name, found);
        throw once.failure(error);
    }
}
/** A refusal that may mean another job took the name meanwhile (the code for that is undocumented). */
function nameTakenMeanwhile(error) {
    return error instanceof ApiError && failureKind(error) === 'permanent' && (error.status === 400 || error.status === 409);
}
/** The name looked up once; a failing list is not fatal: the restore's own error stands. */
async function restore_lookUp(name, ctx) {
    try {
        return await clusterNamed(name, ctx);
    }
    catch (error) {
        ctx.log.warning(`Could not check whether cluster '${name}' exists (${error.message}).`);
        return undefined;
    }
}
/** Usable once its status says so and no task is left running (the Terraform provider's rule). */
function clusterPhase(cluster) {
    const status = cluster.status ?? '';
    const tasks = Object.keys(cluster.actionProgress ?? {});
    if (CLUSTER_FAILED.has(status))
        return 'failed';
    if (CLUSTER_READY.has(status))
        return tasks.length === 0 ? 'done' : 'pending';
    return CLUSTER_BUILDING.has(status) || tasks.length > 0 ? 'pending' : 'unknown';
}
/** Watches the new cluster until it can be used; `onUpdate` has every read. */
function restore_waitForCluster(clusterId, ctx) {
    return watch({
        label: `Cluster ${clusterId}`,
        read: async () => {
            const cluster = await ctx.client.getCluster(clusterId);
            ctx.onUpdate?.(cluster);
            return cluster;
        },
        status: (cluster) => [cluster.status ?? 'UNKNOWN', cluster.taskStatus].filter(Boolean).join(', '),
        phase: clusterPhase,
        progress: (cluster, at) => progressReading(cluster.actionProgress?.[RESTORING_TASK], at),
        failed: (cluster) => new RestoreFailedError(cluster),
        timedOut: (cluster, waitedMs) => new ClusterNotReadyError(cluster, waitedMs)
    }, ctx);
}
/** Whether the service says the cluster does not exist (any more). */
function isClusterGone(error) {
    return (0,errors/* isClusterNotFound */.Uk)(error) || (error instanceof errors/* ApiError */.hD && error.status === 404);
}
function describe(cluster) {
    return cluster.name ? `'${cluster.name}' (id ${cluster.id})` : cluster.id;
}

;// CONCATENATED MODULE: ./src/dws/delete-cluster.ts
/**
 * Deleting a cluster this step made, for the restore action's post step: only the cluster it saved,
 * and only while it still has the name it was given (an id is never trusted alone to delete), then
 * confirmed by reading until the service says it is gone.
 */



/** The cluster could not be deleted, or its deletion was not confirmed: it may still cost money. */
class ClusterNotDeletedError extends Error {
    cluster;
    last;
    constructor(cluster, reason, 
    /** the service's refusal or the failed read, for the hint */
    last) {
        super(`Cluster '${cluster.name}' (id ${cluster.id}) was not deleted: ${reason}. Delete it in the DWS console, or it goes on costing.`);
        this.cluster = cluster;
        this.last = last;
        this.name = 'ClusterNotDeletedError';
    }
}
async function deleteClusterAndConfirm(cluster, checks, ctx) {
    const { client } = ctx;
    let current;
    try {
        current = await (0,cloud_retry/* withRetries */.LH)(() => client.getCluster(cluster.id), ctx);
    }
    catch (error) {
        if (isClusterGone(error))
            return 'already gone';
        throw new ClusterNotDeletedError(cluster, `it could not be read (${error.message})`, error);
    }
    if (current.name !== undefined && current.name !== cluster.name) {
        throw new ClusterNotDeletedError(cluster, `the cluster with that id is named '${current.name}', so it is not the one this step made`);
    }
    if (current.status !== 'DELETING') {
        try {
            await (0,cloud_retry/* withRetries */.LH)(() => client.deleteCluster(cluster.id), ctx);
        }
        catch (error) {
            // DWS.0015 says "not found or no permission": the cluster read fine a moment ago, so only a read that no longer finds it says gone.
            const refused = () => new ClusterNotDeletedError(cluster, `the service refused to delete it (${error.message})`, error);
            if (!isClusterGone(error))
                throw refused();
            if (await confirmGone(() => client.getCluster(cluster.id), isClusterGone, { intervalMs: 0, times: 1 }, ctx))
                return 'already gone';
            throw refused();
        }
    }
    if (await confirmGone(() => client.getCluster(cluster.id), isClusterGone, checks, ctx))
        return 'deleted';
    const waited = Math.round((checks.intervalMs * checks.times) / 60_000);
    throw new ClusterNotDeletedError(cluster, `it still shows after ${checks.times} checks over about ${waited} minutes`);
}

;// CONCATENATED MODULE: ./src/dws/table-restore.ts
/**
 * Restoring chosen tables of a snapshot into its own cluster: the service's check of the names
 * first (nothing is restored when it rejects one), then the restore, sent once (a job cannot be
 * looked up by name, so a lost answer is reported rather than sent again), then its job watched
 * until it ends.
 */







/** The service's pre-check refused some names: nothing was restored. */
class TablesRejectedError extends Error {
    check;
    constructor(check) {
        const parts = [
            check.rejectedSources.length > 0 ? `not restorable from the snapshot: ${check.rejectedSources.join(', ')}` : '',
            check.rejectedTargets.length > 0 ? `not usable as targets: ${check.rejectedTargets.join(', ')}` : ''
        ];
        super(`The service's check refused table names (${parts.filter(Boolean).join('; ')}). Nothing was restored.`);
        this.check = check;
        this.name = 'TablesRejectedError';
    }
}
/** The snapshot's cluster is in a state in which no table can be restored, however long one waits. */
class ClusterOutOfServiceError extends Error {
    cluster;
    constructor(cluster) {
        super(`Cluster ${cluster.name ? `'${cluster.name}' (id ${cluster.id})` : cluster.id} is ${cluster.status ?? 'in an unknown state'}: ` +
            'tables can only be restored into a cluster that is Available. Nothing was restored.');
        this.cluster = cluster;
        this.name = 'ClusterOutOfServiceError';
    }
}
class TableRestoreFailedError extends Error {
    job;
    constructor(job) {
        const reason = [job.failedCode, job.failedDetail].filter(Boolean).join(': ');
        super(`The table restore job ${job.id} ended ${job.status}${reason ? `: ${reason}` : ''}.`);
        this.job = job;
        this.name = 'TableRestoreFailedError';
    }
}
class JobNotDoneError extends Error {
    job;
    waitedMs;
    constructor(job, waitedMs) {
        super(`The table restore job ${job.id} is still ${job.status} after waiting ${(0,time/* formatDuration */.a3)(waitedMs)}: the service goes on with it. ` +
            'Raise wait_timeout to wait longer.');
        this.job = job;
        this.waitedMs = waitedMs;
        this.name = 'JobNotDoneError';
    }
}
/**
 * Throws ClusterOutOfServiceError when the cluster (when it could be read) cannot run a table restore,
 * TablesRejectedError when the service refuses any name.
 */
async function table_restore_checkTables(request, cluster, ctx) {
    if (cluster?.status !== undefined && CLUSTER_OUT_OF_SERVICE.has(cluster.status))
        throw new ClusterOutOfServiceError(cluster);
    const check = await withRetries(() => ctx.client.checkTableRestore(request), ctx);
    if (check.rejectedSources.length > 0 || check.rejectedTargets.length > 0)
        throw new TablesRejectedError(check);
}
const LOST_TABLE_RESTORE = (/* unused pure expression or super */ null && ('The table restore may have reached the service although its answer was lost. It is not sent again: a job cannot be ' +
    'looked up by name, and a second one would restore the tables over the first. Check the tables, and the jobs of the ' +
    'cluster in the DWS console, before running the step again.'));
/**
 * Starts the restore; returns its job's id. Sent again only when it surely did not reach the service,
 * and while the cluster answers busy (another operation runs), up to the deadline.
 */
async function table_restore_restoreTablesOnce(request, ctx) {
    const { clock } = ctx;
    const startedAt = clock.now();
    const send = () => withRetries(async () => {
        try {
            return await ctx.client.restoreTables(request);
        }
        catch (error) {
            // A second job would restore the tables again over whatever the first one has done.
            if (outcomeUnknown(error))
                throw new OutcomeUnknownError(error, LOST_TABLE_RESTORE);
            throw error;
        }
    }, ctx);
    const judge = (error, tries) => {
        if (!(error instanceof ApiError && isClusterBusy(error)))
            return { kind: 'give-up', error };
        const delayMs = busyDelayMs(tries, ctx);
        return {
            kind: 'again',
            delayMs,
            say: busyNotice(error, delayMs, clock.now() - startedAt),
            pastDeadline: () => new ClusterBusyError(error, clock.now() - startedAt, undefined, 'the table restore')
        };
    };
    // A busy answer is not a failed request: the pauses are this loop's, not counted as retries.
    return retry({ run: send, judge }, { clock, log: ctx.log, deadline: ctx.deadline, random: ctx.random });
}
function table_restore_waitForJob(jobId, ctx) {
    return watch({
        label: `Table restore job ${jobId}`,
        read: async () => {
            const job = await ctx.client.getJob(jobId);
            ctx.onUpdate?.(job);
            return job;
        },
        status: (job) => job.status,
        phase: (job) => (JOB_DONE.has(job.status) ? 'done' : JOB_FAILED.has(job.status) ? 'failed' : 'pending'),
        progress: (job, at) => progressReading(job.progress, at),
        failed: (job) => new TableRestoreFailedError(job),
        timedOut: (job, waitedMs) => new JobNotDoneError(job, waitedMs)
    }, ctx);
}

;// CONCATENATED MODULE: ./src/action/report/restore-failures.ts
/**
 * The restore action's own failures, each with its title and the hint that says what to fix; the
 * ones both actions share are failure.ts's. Only the restore bundles carry this. Pure.
 */






const describeRestoreFailure = (error, context, failure) => {
    if (error instanceof SnapshotNotFoundError) {
        if (!('id' in error.choice))
            return failure('Invalid input', new input_error_InputError('snapshot_name', error.message).message);
        return failure('Snapshot not found', `Snapshot ${error.choice.id} was not found: ${error.message}.`, 'Check snapshot_id, and that region (or endpoint) and project_id are those of the snapshot.');
    }
    if (error instanceof ClusterNameTakenError)
        return failure('Invalid input', new input_error_InputError('cluster_name', error.message).message);
    if (error instanceof SnapshotNotRestorableError) {
        return failure('Snapshot not restorable', error.message, 'Wait until the snapshot is AVAILABLE (the snapshot action waits for it with wait: true), or restore another snapshot.');
    }
    if (error instanceof RestoreFailedError) {
        return failure('Restore failed on the service', error.message, 'Check the new cluster in the DWS console (its failed_reasons), delete it, and check the network inputs and the quotas of the project.');
    }
    if (error instanceof ClusterNotReadyError)
        return failure('Cluster not ready in time', error.message);
    if (error instanceof TablesRejectedError) {
        return failure('Tables rejected', error.message, 'Check the names in tables and database, case_sensitive, and that the snapshot is a cluster- or schema-level snapshot with fine-grained backups on.');
    }
    if (error instanceof ClusterOutOfServiceError) {
        return failure('Cluster cannot restore tables', error.message, 'Check the cluster in the DWS console and bring it back to Available first.');
    }
    if (error instanceof TableRestoreFailedError) {
        return failure('Table restore failed', error.message, 'Check the job in the DWS console; the tables restored before the failure stay as they are.');
    }
    if (error instanceof JobNotDoneError)
        return failure('Table restore not done in time', error.message);
    if (error instanceof ClusterNotDeletedError) {
        const cause = hintFor(error.last instanceof cloud_retry/* RetriesExhaustedError */.i5 ? error.last.last : error.last, context);
        return failure('Cluster not deleted', error.message, cause ||
            'The IAM user or agency needs dws:cluster:delete; check the cluster in the DWS console and delete it there if it is still there.');
    }
    return undefined;
};

;// CONCATENATED MODULE: ./src/action/report/markdown.ts


/**
 * Text that renders as itself in GitHub-Flavoured Markdown, on one line and inside a table cell.
 * `oneLine` leaves no line break, so every value sits mid-line and no block construct (heading,
 * list, quote) can start: only the inline marks need a backslash (which GFM removes when
 * rendering, `\|` included in a table cell), and `< > &` become entities, so no HTML tag or
 * entity of the source survives. Ids, names and times stay greppable in the raw Markdown.
 * No code spans: their content cannot be backslash-escaped.
 */
function markdown_markdownText(text) {
    return oneLine(text).replace(MARKDOWN_SPECIAL, (ch) => HTML_ENTITY[ch] ?? `\\${ch}`);
}
const MARKDOWN_SPECIAL = /[\\`*_[\]|<>&~]/g;
const HTML_ENTITY = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };
function markdown_untrusted(value) {
    return value === undefined ? undefined : markdown_markdownText(value);
}
/** A two-column table whose header row is its first row: GFM needs one, and an empty one renders as a blank bar. */
function markdown_table(rows) {
    const present = rows.filter((row) => row[1] !== undefined && row[1] !== '');
    const [first, ...rest] = present;
    if (first === undefined)
        return [];
    return [`| ${first[0]} | ${first[1]} |`, '|---|---|', ...rest.map(([label, value]) => `| ${label} | ${value} |`)];
}
/** The failure of a run: what happened, what to do, and where to read more. */
function markdown_errorLines(error) {
    const lines = ['', `**Error:** ${markdown_markdownText(error.message)}`];
    if (error.hint)
        lines.push('', `**What to do:** ${markdown_markdownText(error.hint)}`);
    if (error.help)
        lines.push('', `**Troubleshooting:** ${helpLink(error.help)}`);
    return lines;
}
/** A link the action built from the runner's own names (troubleshooting.ts); any other text stays text. */
const SAFE_URL = /^https:\/\/[A-Za-z0-9_.:/#-]+$/;
function helpLink(help) {
    return SAFE_URL.test(help) ? `[TROUBLESHOOTING.md](${help})` : markdown_markdownText(help);
}
function plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}
function markdown_describeSignedIn(signedIn) {
    const renewals = signedIn.count - 1;
    return `${signedIn.identity}, until ${isoSeconds(signedIn.expiresAt)}${renewals > 0 ? ` (signed in ${signedIn.count} times)` : ''}`;
}
/** How many requests the step sent, folded away at the end of the summary. */
function markdown_requestDetails(requests, retries) {
    const retried = retries ? `, ${retries} of them ${retries === 1 ? 'a retry' : 'retries'} after a transient failure` : '';
    return [
        `<details><summary>API requests: ${requests}${retries ? ` (${retries} retried)` : ''}</summary>`,
        '',
        `This step sent ${plural(requests, 'request')} to the service${retried}.`,
        '',
        '</details>'
    ];
}

;// CONCATENATED MODULE: ./src/action/report/restore-summary.ts


function restore_summary_renderRestoreSummary(r) {
    const cluster = r.cluster;
    const clusterText = cluster?.name ? `${cluster.name}${cluster.id ? ` (${cluster.id})` : ''}` : cluster?.id;
    const rows = [
        ['Snapshot', untrusted(r.snapshot && `${r.snapshot.name} (${r.snapshot.id})`)],
        [r.mode === 'tables' ? 'Cluster' : 'New cluster', untrusted(clusterText)],
        ['Status', untrusted(r.mode === 'tables' ? r.job?.status : cluster?.status)],
        ['Private endpoint', untrusted(cluster?.privateEndpoint)],
        ['Public endpoint', untrusted(cluster?.publicEndpoint)],
        ['Job', untrusted(r.job?.id)],
        ['Took', r.tookMs === undefined ? undefined : formatDuration(r.tookMs)],
        ['At the end of the job', r.deletedAtEnd ? 'deleted (keep: false)' : r.adopted ? 'kept: adopted after a lost answer' : undefined],
        ['Signed in as', r.signedIn ? untrusted(describeSignedIn(r.signedIn)) : undefined],
        ['Elapsed in this step', `${Math.round(r.elapsedMs / 1000)} s`]
    ];
    const lines = [heading(r), '', ...table(rows)];
    if (r.tables && r.tables.length > 0) {
        lines.push('', '| Table | Restored as |', '|---|---|', ...r.tables.map((t) => `| ${markdownText(t.source)} | ${markdownText(t.target)} |`));
    }
    if (r.error)
        lines.push(...errorLines(r.error));
    if (r.deletedAtEnd && !r.error) {
        lines.push('', 'This cluster is a preview: the post step of this action deletes it when the job ends, whatever happens.');
    }
    lines.push('', ...requestDetails(r.requests, r.retries));
    return lines.join('\n') + '\n';
}
function heading(r) {
    if (r.error)
        return `### ❌ DWS restore failed: ${markdownText(r.error.title)}`;
    if (r.dryRun)
        return '### ✅ DWS restore dry run passed: nothing was restored';
    if (r.mode === 'tables')
        return `### ✅ DWS tables ${r.job?.status === 'SUCCESS' ? 'restored' : 'restore started'}`;
    const ready = r.cluster?.privateEndpoint !== undefined || r.cluster?.status === 'AVAILABLE' || r.cluster?.status === 'ACTIVE';
    return `### ✅ DWS cluster ${ready ? 'restored and ready' : 'restore accepted by the service'}`;
}
/** The post step's summary: what became of the preview cluster. */
function renderDeletionSummary(r) {
    const c = r.cluster;
    const name = c ? markdown_markdownText(`${c.name} (${c.id})`) : '';
    const heading = r.error
        ? `### ❌ DWS restore: preview cluster not deleted`
        : c === undefined
            ? '### DWS restore: no preview cluster to delete'
            : c.adopted
                ? `### ⚠️ DWS restore: cluster ${name} kept (adopted after a lost answer)`
                : `### ✅ DWS restore: preview cluster ${name} ${r.outcome === 'already gone' ? 'was already gone' : 'deleted'}`;
    const lines = [heading];
    if (r.error)
        lines.push(...markdown_errorLines(r.error));
    lines.push('', ...markdown_requestDetails(r.requests, r.retries));
    return lines.join('\n') + '\n';
}

;// CONCATENATED MODULE: ./src/action/report/restore-report.ts

function restore_report_reportRestoreRun(step, run, failure) {
    const error = failure === undefined ? undefined : step.annotate(failure, { leftBehind: leftBehind(run) });
    publishRestore(step, run);
    return { failed: error !== undefined, summary: renderRestoreSummary(restoreReport(step, run, error)), leftBehind: leftBehind(run) };
}
function restore_report_cancelledRestoreRun(step, run, signal) {
    const id = run.restored?.clusterId ?? run.job?.id;
    const message = run.restored
        ? `Cancelled (${signal}): the restore into cluster '${run.clusterName ?? ''}' (id ${run.restored.clusterId}) continues on the service` +
            (deletedAtEnd(run) ? '; the post step deletes it.' : '; it is not deleted.')
        : run.job
            ? `Cancelled (${signal}): the table restore job ${run.job.id} continues on the service.`
            : `Cancelled (${signal}) before a restore was ${id === undefined && run.clusterName ? 'answered' : 'sent'}.`;
    const report = restoreReport(step, run, { title: 'Cancelled', message, hint: '', help: '' });
    return { message, summary: renderRestoreSummary(report) };
}
/** Every output of the restore action, from what the run knows. */
function publishRestore(step, run) {
    const tables = run.config?.tables !== undefined;
    const done = run.job?.status === 'SUCCESS';
    step.setOutput('snapshot_id', run.snapshot?.id ?? '');
    step.setOutput('cluster_id', tables ? (run.snapshot?.clusterId ?? '') : (run.restored?.clusterId ?? ''));
    step.setOutput('cluster_name', tables ? (run.cluster?.name ?? '') : run.restored ? (run.clusterName ?? '') : '');
    step.setOutput('status', (tables ? run.job?.status : run.cluster?.status) ?? '');
    step.setOutput('private_endpoint', tables ? '' : (run.cluster?.privateEndpoint ?? ''));
    step.setOutput('public_endpoint', tables ? '' : (run.cluster?.publicEndpoint ?? ''));
    const took = tookMs(run);
    step.setOutput('duration_seconds', took === undefined ? '' : String(Math.round(took / 1000)));
    step.setOutput('job_id', run.job?.id ?? '');
    const restored = done ? (run.tables?.tables ?? []).map((t) => ({ source: tableText(t.source), target: tableText(t.target) })) : [];
    step.setOutput('restored_tables', JSON.stringify(restored));
}
/** As soon as the service accepted the restore: a later step has the cluster (or job) whatever happens next. */
function restore_report_publishAccepted(step, run) {
    if (run.restored) {
        step.setOutput('cluster_id', run.restored.clusterId);
        step.setOutput('cluster_name', run.clusterName ?? '');
    }
    if (run.job)
        step.setOutput('job_id', run.job.id);
}
function restoreReport(step, run, error) {
    const tables = run.config?.tables !== undefined;
    return {
        mode: tables ? 'tables' : 'new-cluster',
        dryRun: run.config?.dryRun ?? false,
        snapshot: run.snapshot && { id: run.snapshot.id, name: run.snapshot.name },
        cluster: tables
            ? { id: run.snapshot?.clusterId, name: run.cluster?.name }
            : {
                id: run.restored?.clusterId,
                name: run.clusterName,
                status: run.cluster?.status,
                privateEndpoint: run.cluster?.privateEndpoint,
                publicEndpoint: run.cluster?.publicEndpoint
            },
        adopted: run.restored?.adopted ?? false,
        deletedAtEnd: deletedAtEnd(run),
        tables: run.tables?.tables.map((t) => ({ source: tableText(t.source), target: tableText(t.target) })),
        job: run.job && { id: run.job.id, status: run.job.status },
        tookMs: tookMs(run),
        elapsedMs: step.elapsedMs(),
        signedIn: run.cloud?.signedIn(),
        ...step.stats,
        error
    };
}
/** The cluster this step saved for the post step to delete. */
function restore_report_savedCluster(run) {
    if (run.config?.keep !== false || !run.restored || run.clusterName === undefined)
        return undefined;
    return { id: run.restored.clusterId, name: run.clusterName, adopted: run.restored.adopted };
}
function deletedAtEnd(run) {
    const saved = restore_report_savedCluster(run);
    return saved !== undefined && !saved.adopted;
}
function tookMs(run) {
    return run.acceptedAt !== undefined && run.doneAt !== undefined ? run.doneAt - run.acceptedAt : undefined;
}
function tableText(t) {
    return `${t.schema}.${t.table}`;
}
/** The sentence that names what this step started on the service, for any failure after it. */
function leftBehind(run) {
    if (run.restored) {
        const kept = deletedAtEnd(run) ? 'the post step deletes it' : 'it is not deleted';
        return ` Cluster '${run.clusterName ?? ''}' (id ${run.restored.clusterId}) was ${run.restored.adopted ? 'adopted' : 'made'} by this step and still exists on the service; ${kept}.`;
    }
    return run.job ? ` Table restore job ${run.job.id} was started by this step.` : '';
}
function reportDeletion(step, report, failure) {
    const error = failure === undefined ? undefined : step.annotate(failure);
    // Nothing to delete, nothing to say in the summary.
    if (report.cluster === undefined && error === undefined)
        return { failed: false, summary: '', leftBehind: '' };
    const summary = renderDeletionSummary({ ...report, elapsedMs: step.elapsedMs(), ...step.stats, error });
    return { failed: error !== undefined, summary, leftBehind: '' };
}

;// CONCATENATED MODULE: ./src/kernel/redact.ts
const MASK = '***';
/** Base64 forms shorter than this are too likely to occur by chance in unrelated text. */
const MIN_BASE64_FORM = 8;
/**
 * Secrets can be added at any time (temporary credentials arrive mid-run, again at every renewal);
 * `redact` always uses every secret added so far. Each secret's pattern is built once, when it is
 * added: a run that renews its credentials every few minutes never recompiles the earlier ones.
 */
class SecretRegistry {
    secrets = new Map();
    /** the patterns, longest secret first, so a secret that contains another is masked whole */
    ordered;
    constructor(secrets = []) {
        for (const secret of secrets)
            this.add(secret);
    }
    /** Registers a secret; empty strings and repeats are ignored. */
    add(secret) {
        if (!secret || this.secrets.has(secret))
            return;
        this.secrets.set(secret, secretPattern(secret));
        this.ordered = undefined;
    }
    /** A bound function, so it can be handed around like any `Redact`. */
    redact = (text) => {
        let masked = scrubCredentialPatterns(text);
        this.ordered ??= [...this.secrets].sort(([a], [b]) => b.length - a.length).map(([, pattern]) => pattern);
        for (const pattern of this.ordered)
            masked = masked.replace(pattern, MASK);
        return masked;
    };
}
/** For callers whose secrets are all known up front. */
function redactor(secrets) {
    return new SecretRegistry(secrets).redact;
}
/**
 * Credentials recognised by shape, whoever registered what: a signed `Authorization` value, any hex
 * `Signature=`, and token headers echoed back (`X-Auth-Token: …`, IAM's `X-Subject-Token`, or
 * `x-security-token:…` in the canonical request, where the gateway writes `|` for line breaks).
 */
const AKSK_AUTHORIZATION = /\b(SDK-HMAC-SHA256)(?:[ \t]*,?[ \t]*(?:Access|SignedHeaders|Signature)=[^\s,|"'<>\\]*)+/g;
const HEX_SIGNATURE = /\b(Signature=)[0-9A-Fa-f]+/gi;
const TOKEN_HEADER = /\b(X-(?:Auth|Security|Subject)-Token)(["']?[ \t]*[:=][ \t]*["']?)[^\s|"'<>,;\\&]+/gi;
function scrubCredentialPatterns(text) {
    return text.replace(AKSK_AUTHORIZATION, `$1 ${MASK}`).replace(HEX_SIGNATURE, `$1${MASK}`).replace(TOKEN_HEADER, `$1$2${MASK}`);
}
/**
 * One RegExp for a secret: written as a pattern that matches it in any mix of the text encodings
 * below (a JSON encoder may escape some characters and not others), then its base64 forms, longest first.
 */
function secretPattern(secret) {
    const base64 = base64Forms(secret)
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp);
    return new RegExp([textPattern(secret), ...base64].join('|'), 'g');
}
function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
/** A hex number that matches in upper or lower case: 'a9' → '[aA]9'. */
function anyCaseHex(hex) {
    return hex.replace(/[a-f]/gi, (d) => `[${d.toLowerCase()}${d.toUpperCase()}]`);
}
const NAMED_ENTITY = {
    '&': ['&amp;'],
    '<': ['&lt;'],
    '>': ['&gt;'],
    '"': ['&quot;'],
    "'": ['&apos;']
};
/**
 * Every way one character of a secret is written in text that quotes it back: as itself;
 * percent-encoded (its UTF-8 bytes, either hex case, `+` for a space as forms write it); JSON-escaped
 * (`\"`, `\\`, `\/`, `\uXXXX` in either case, by UTF-16 unit); HTML-escaped (named entities,
 * `&#NN;`, `&#xHH;` with or without leading zeros).
 */
function characterPattern(ch) {
    const alternatives = new Set([escapeRegExp(ch)]);
    const percent = [...Buffer.from(ch, 'utf8')].map((byte) => `%${anyCaseHex(byte.toString(16).padStart(2, '0'))}`).join('');
    alternatives.add(percent);
    if (ch === ' ')
        alternatives.add('\\+');
    const units = Array.from({ length: ch.length }, (_, i) => ch.charCodeAt(i));
    alternatives.add(units.map((unit) => `\\\\u${anyCaseHex(unit.toString(16).padStart(4, '0'))}`).join(''));
    if ('"\\/'.includes(ch))
        alternatives.add(`\\\\${escapeRegExp(ch)}`);
    const code = ch.codePointAt(0) ?? 0;
    alternatives.add(`&#0*${code};`);
    alternatives.add(`&#[xX]0*${anyCaseHex(code.toString(16))};`);
    for (const entity of NAMED_ENTITY[ch] ?? [])
        alternatives.add(escapeRegExp(entity));
    return alternatives.size === 1 ? escapeRegExp(ch) : `(?:${[...alternatives].join('|')})`;
}
function textPattern(secret) {
    return Array.from(secret, characterPattern).join('');
}
/**
 * The secret's UTF-8 bytes in base64 and base64url: whole (with and without padding), and the part
 * that stays the same wherever it sits in a longer blob. Preceded by k bytes (k = 0, 1, 2 cover every
 * alignment), output character i holds bits 6i..6i+5, so only the characters whose bits all come
 * from the secret are stable: from ceil(8k/6) up to floor(8(k+n)/6).
 */
function base64Forms(secret) {
    const bytes = Buffer.from(secret, 'utf8');
    const standard = [];
    const whole = bytes.toString('base64');
    standard.push(whole, whole.replace(/=+$/, ''));
    for (const k of [0, 1, 2]) {
        const encoded = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64');
        standard.push(encoded.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + bytes.length)) / 6)));
    }
    const urlSafe = standard.map((form) => form.replace(/\+/g, '-').replace(/\//g, '_'));
    return [...standard, ...urlSafe].filter((form) => form.length >= MIN_BASE64_FORM);
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __nccwpck_require__(7067);
;// CONCATENATED MODULE: external "node:https"
const external_node_https_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");
;// CONCATENATED MODULE: external "node:string_decoder"
const external_node_string_decoder_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:string_decoder");
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __nccwpck_require__(8522);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __nccwpck_require__(7030);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __nccwpck_require__(1692);
// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/proxy.js
var lib_proxy = __nccwpck_require__(9783);
;// CONCATENATED MODULE: ./src/cloud/agents.ts
/**
 * One keep-alive agent per protocol and host for the whole run, so that the list, the create and
 * every status read share one connection (and one TLS handshake) instead of opening one each.
 * https_proxy/http_proxy and no_proxy are read as @actions/http-client reads them; through a proxy
 * the agent opens a CONNECT tunnel once and keeps it, where the toolkit's tunnel closes it after
 * every request. close() destroys every socket, so the process exits as soon as the run is done.
 */






/**
 * An idle connection is closed after this long, before the server's own idle timeout (often 60 s)
 * can race a request on it. A server that announces a shorter one (Keep-Alive: timeout=N) is
 * honoured by Node.
 */
const IDLE_MS = 30_000;
function agentPool() {
    const agents = new Map();
    return {
        agentFor(url) {
            const proxy = (0,lib_proxy/* getProxyUrl */.s)(url);
            // The proxy is part of the key: the environment may change between runs in one process (tests).
            const key = `${url.protocol}//${url.host} via ${proxy?.href ?? 'direct'}`;
            let agent = agents.get(key);
            if (agent === undefined) {
                agent = proxy === undefined ? directAgent(url) : new TunnelAgent(url.protocol === 'https:', proxy);
                agents.set(key, agent);
            }
            return agent;
        },
        preconnect(url) {
            const agent = this.agentFor(url);
            if (agent instanceof DirectAgent)
                agent.warmUp(url);
        },
        close() {
            for (const agent of agents.values())
                agent.destroy();
            agents.clear();
        }
    };
}
function directAgent(url) {
    return new DirectAgent(url.protocol === 'https:');
}
/** A keep-alive agent that can open its first connection ahead of the first request. */
class DirectAgent extends external_node_https_namespaceObject.Agent {
    overTls;
    spare;
    constructor(overTls) {
        super({ keepAlive: true, timeout: IDLE_MS });
        this.overTls = overTls;
        if (!overTls)
            Object.assign(this, { protocol: 'http:', defaultPort: 80 });
    }
    warmUp(url) {
        if (this.spare !== undefined)
            return;
        const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
        const port = Number(url.port || (this.overTls ? 443 : 80));
        const spare = this.open({ host, port, servername: (0,external_node_net_.isIP)(host) === 0 ? host : undefined });
        // A failure shows on the first request, which then opens its own connection.
        spare.on('error', () => spare.destroy());
        this.spare = spare;
    }
    createConnection(options, callback) {
        const spare = this.spare;
        this.spare = undefined;
        if (spare !== undefined && !spare.destroyed)
            return spare;
        return this.open(options, callback);
    }
    destroy() {
        this.spare?.destroy();
        this.spare = undefined;
        super.destroy();
    }
    open(options, callback) {
        if (this.overTls)
            return super.createConnection(options, callback) ?? external_node_tls_.connect(options);
        return external_node_net_.createConnection(options);
    }
}
/**
 * A keep-alive agent whose connections are CONNECT tunnels through a proxy, with TLS inside for
 * https. A tunnel the proxy refuses fails with "statusCode=NNN" in its message, as the toolkit's
 * tunnel does, so a 407 is still reported as proxy authentication.
 */
class TunnelAgent extends external_node_http_.Agent {
    overTls;
    proxy;
    opening = new Set();
    constructor(overTls, proxy) {
        super({ keepAlive: true, timeout: IDLE_MS });
        this.overTls = overTls;
        this.proxy = proxy;
        // Node checks a request's protocol against its agent's.
        Object.assign(this, overTls ? { protocol: 'https:', defaultPort: 443 } : { protocol: 'http:', defaultPort: 80 });
    }
    createConnection(options, callback) {
        const done = (error, stream) => {
            // Node ignores the stream when there is an error.
            ;
            callback?.(error, stream);
        };
        const host = options.hostname ?? options.host ?? 'localhost';
        const port = Number(options.port ?? (this.overTls ? 443 : 80));
        const target = `${(0,external_node_net_.isIP)(host) === 6 ? `[${host}]` : host}:${port}`;
        const connect = (this.proxy.protocol === 'https:' ? external_node_https_namespaceObject : external_node_http_).request({
            host: this.proxy.hostname,
            port: this.proxy.port || (this.proxy.protocol === 'https:' ? 443 : 80),
            method: 'CONNECT',
            path: target,
            headers: { host: target, ...proxyAuthorization(this.proxy) },
            agent: false
        });
        this.opening.add(connect);
        const settle = () => void this.opening.delete(connect);
        connect.once('connect', (res, socket) => {
            settle();
            if (res.statusCode !== 200) {
                socket.destroy();
                const error = new Error(`tunneling socket could not be established, statusCode=${res.statusCode ?? 0}`);
                error.code = 'ECONNRESET';
                done(error);
                return;
            }
            if (!this.overTls) {
                done(null, socket);
                return;
            }
            const servername = options.servername ?? ((0,external_node_net_.isIP)(host) === 0 ? host : undefined);
            done(null, external_node_tls_.connect({ socket, servername, ca: options.ca, rejectUnauthorized: options.rejectUnauthorized !== false }));
        });
        connect.once('error', (error) => {
            settle();
            done(error);
        });
        connect.end();
        return undefined;
    }
    destroy() {
        for (const connect of this.opening)
            connect.destroy();
        this.opening.clear();
        super.destroy();
    }
}
/** Basic credentials given in the proxy URL, decoded as the toolkit decodes them. */
function proxyAuthorization(proxy) {
    if (!proxy.username && !proxy.password)
        return {};
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    return { 'Proxy-Authorization': `Basic ${Buffer.from(credentials).toString('base64')}` };
}

;// CONCATENATED MODULE: ./src/cloud/transport.ts
/**
 * One HTTP exchange with a hard deadline covering connect, headers and body, over one keep-alive
 * connection per host for the whole run (agents.ts: https_proxy/no_proxy honoured as on the runner).
 * The request goes through node:http(s) because @actions/http-client's own timeout is an idle
 * timeout and its readBody() can wait forever on a stalled body.
 * The server is not trusted: its body is decoded and capped here, and nothing it sends reaches an
 * error message without passing serverText.
 */







/**
 * Upper bound on a response body as it travels (a sink caps what it decodes). A project with
 * 50 000 snapshots lists ~50 MB of JSON; anything beyond this is a runaway or hostile answer.
 */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** The compressions the transport decodes, offered to the service so big lists travel compressed. */
const ACCEPT_ENCODING = 'gzip, deflate, br';
const PROXY_AUTH_DETAIL = 'the proxy requires authentication (HTTP 407)';
function createTransport(userAgent, options = {}) {
    const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
    const agents = agentPool();
    const transport = async (request) => {
        const started = Date.now();
        let answer;
        const report = (failure) => notify(options.onExchange, {
            ...describeRequest(request),
            status: answer?.statusCode,
            requestId: answer && requestIdOf(answer.headers),
            ms: Date.now() - started,
            failure
        });
        try {
            const response = await send(request, agents.agentFor(request.url), maxBodyBytes, (res) => (answer = res));
            report();
            return response;
        }
        catch (error) {
            if (error instanceof errors/* TransportError */.wX)
                report(error.failure);
            throw error;
        }
    };
    return Object.assign(transport, { preconnect: (url) => agents.preconnect(url), close: () => agents.close() });
}
function describeRequest(request) {
    const { url } = request;
    return { operation: request.operation.name, method: request.method, url: `${url.origin}${url.pathname}${url.search}` };
}
function notify(observer, exchange) {
    if (!observer)
        return;
    try {
        observer(exchange);
    }
    catch {
        // A debug logger must not turn an answer into a failure, nor one failure into another.
    }
}
function requestIdOf(headers) {
    const value = headers['x-request-id'];
    const text = Array.isArray(value) ? value.join(', ') : value;
    return text ? serverText(text) : undefined;
}
/** onAnswer sees the status line and headers as soon as they arrive, whether the exchange then succeeds or not. */
function send(request, agent, maxBodyBytes, onAnswer) {
    const { url, operation } = request;
    const lib = url.protocol === 'https:' ? external_node_https_namespaceObject : external_node_http_;
    const headers = {
        'Accept-Encoding': ACCEPT_ENCODING,
        ...request.headers,
        'Content-Length': String(Buffer.byteLength(request.body))
    };
    return new Promise((resolve, reject) => {
        let req;
        try {
            req = lib.request(url, { method: request.method, headers, agent });
        }
        catch (error) {
            // Node validates method and headers before anything is sent; its message may quote the value.
            reject(new errors/* TransportError */.wX(operation, 'invalid-request', url.host, false, describeRefusal(error, headers, url.host)));
            return;
        }
        let sent = false;
        let settled = false;
        let stopReading = () => undefined;
        let answered = false;
        const abort = (error) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timer);
            stopReading();
            req.destroy();
            reject(error);
        };
        const fail = (failure, detail, requestSent = sent) => {
            if (settled)
                return;
            const error = new errors/* TransportError */.wX(operation, failure, url.host, requestSent, detail);
            error.staleConnection = failure === 'reset' && req.reusedSocket && !answered;
            abort(error);
        };
        const timer = setTimeout(() => fail('timeout', `no complete answer from ${url.host} within ${Math.round(request.timeoutMs / 1000)}s`), request.timeoutMs);
        req.on('finish', () => {
            sent = true;
        });
        req.on('error', (error) => fail(...classifySocketError(error, url.host)));
        req.on('response', (res) => {
            answered = true;
            onAnswer(res);
            // The service never answers 407: a proxy did, and did not forward the request.
            if (res.statusCode === 407) {
                fail('proxy-auth', PROXY_AUTH_DETAIL, false);
                return;
            }
            res.on('error', (error) => fail(...classifySocketError(error, url.host)));
            res.on('aborted', () => fail('reset', `the connection to ${url.host} closed before the answer was complete`));
            const status = res.statusCode ?? 0;
            const sink = request.sink?.(status) ??
                textSink(maxBodyBytes, () => new errors/* TransportError */.wX(operation, 'too-large', url.host, sent, tooLarge(url.host, maxBodyBytes)));
            stopReading = readBody(res, url.host, maxBodyBytes, sink, {
                fail,
                abort,
                done: (body) => {
                    if (settled)
                        return;
                    settled = true;
                    clearTimeout(timer);
                    resolve({ status, headers: res.headers, body });
                }
            });
        });
        req.end(request.body);
    });
}
/** Names the header Node refused, never its value: that may be a token or a signature. */
function describeRefusal(error, headers, host) {
    const code = error?.code ?? (error instanceof Error ? error.name : 'unknown error');
    const name = refusedHeader(headers);
    return name === undefined
        ? `the request to ${host} could not be built (${code})`
        : `the request to ${host} could not be built: the name or value of the header ${sanitize_quoteInput(name)} holds a character HTTP cannot carry (${code})`;
}
function refusedHeader(headers) {
    for (const [name, value] of Object.entries(headers)) {
        try {
            external_node_http_.validateHeaderName(name);
            external_node_http_.validateHeaderValue(name, value);
        }
        catch {
            return name;
        }
    }
    return undefined;
}
/**
 * The body as text, failing (with `tooLarge()`) as soon as the decoded size passes the cap, so a
 * decompression bomb costs no more than the cap. Decoded as it arrives, so a large answer is not
 * held twice more as bytes and their concatenation.
 */
function textSink(maxBytes, tooLarge) {
    const text = new external_node_string_decoder_namespaceObject.StringDecoder('utf8');
    const parts = [];
    let kept = 0;
    return {
        write(chunk) {
            kept += chunk.length;
            if (kept > maxBytes)
                throw tooLarge();
            parts.push(text.write(chunk));
        },
        end: () => parts.join('') + text.end()
    };
}
/**
 * Feeds the body to the sink, decoding it as its Content-Encoding says, and fails as soon as the
 * raw size passes the cap. Returns a function that stops decoding.
 */
function readBody(res, host, maxBytes, sink, outcome) {
    const encoding = (res.headers['content-encoding'] ?? '').trim();
    const decoding = decoderFor(encoding.toLowerCase());
    if (decoding === undefined) {
        outcome.fail('encoding', `the answer from ${host} uses the content encoding '${serverText(encoding, 60)}', which this action cannot decode`);
        return () => undefined;
    }
    if (Number(res.headers['content-length']) > maxBytes) {
        outcome.fail('too-large', tooLarge(host, maxBytes));
        return () => undefined;
    }
    let received = 0;
    let stopped = false;
    const stop = () => {
        stopped = true;
        decoder?.destroy();
    };
    const failOnce = (failure, detail) => {
        if (stopped)
            return;
        stop();
        outcome.fail(failure, detail);
    };
    /** Runs one step of the sink; what it throws ends the exchange. */
    const feed = (step) => {
        if (stopped)
            return;
        try {
            step();
        }
        catch (error) {
            stop();
            outcome.abort(error);
        }
    };
    const finish = () => feed(() => {
        const body = sink.end();
        stopped = true;
        outcome.done(body);
    });
    const keep = (chunk) => feed(() => sink.write(chunk));
    const decoder = decoding === 'identity'
        ? undefined
        : lazyDecoder(decoding, {
            data: keep,
            end: finish,
            error: (error) => failOnce('encoding', `the answer from ${host} could not be decoded as ${serverText(encoding, 60)} (${serverText(error.code ?? error.message, 80)})`)
        });
    res.on('data', (chunk) => {
        if (stopped)
            return;
        received += chunk.length;
        if (received > maxBytes)
            failOnce('too-large', tooLarge(host, maxBytes));
        else if (decoder)
            decoder.write(chunk);
        else
            keep(chunk);
    });
    res.on('end', () => {
        if (stopped)
            return;
        if (decoder)
            decoder.end();
        else
            finish();
    });
    return () => {
        stopped = true;
        decoder?.destroy();
    };
}
/**
 * A decoder made from the first bytes, as deflate comes with or without its zlib wrapper; and not
 * made at all for an empty body, which servers label gzip too (a 204, say) but no decoder accepts.
 */
function lazyDecoder(make, on) {
    let stream;
    let head = Buffer.alloc(0);
    const start = () => {
        const created = make(head);
        created.on('data', on.data);
        created.on('error', on.error);
        created.on('end', on.end);
        created.write(head);
        return (stream = created);
    };
    return {
        write: (chunk) => {
            if (stream) {
                stream.write(chunk);
                return;
            }
            head = Buffer.concat([head, chunk]);
            if (head.length >= SNIFF_BYTES)
                start();
        },
        end: () => {
            if (!stream && head.length === 0)
                on.end();
            else
                (stream ?? start()).end();
        },
        destroy: () => stream?.destroy()
    };
}
/** Bytes needed to tell zlib-wrapped deflate from raw deflate. */
const SNIFF_BYTES = 2;
/** undefined: an encoding this transport cannot decode (including a list of several). */
function decoderFor(encoding) {
    switch (encoding) {
        case '':
        case 'identity':
            return 'identity';
        case 'gzip':
        case 'x-gzip':
            return () => external_node_zlib_.createGunzip();
        case 'deflate':
            // RFC 9110 means the zlib format, but some servers send bare deflate data.
            return (head) => (hasZlibHeader(head) ? external_node_zlib_.createInflate() : external_node_zlib_.createInflateRaw());
        case 'br':
            return () => external_node_zlib_.createBrotliDecompress();
        default:
            return undefined;
    }
}
/** RFC 1950: method 8 (deflate), window at most 32 KiB, and the two header bytes a multiple of 31. */
function hasZlibHeader(head) {
    if (head.length < SNIFF_BYTES)
        return false;
    const cmf = head.readUInt8(0);
    const flg = head.readUInt8(1);
    return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0;
}
function tooLarge(host, maxBytes) {
    return `the answer from ${host} was larger than ${transport_formatBytes(maxBytes)}`;
}
function transport_formatBytes(bytes) {
    if (bytes % (1024 * 1024) === 0)
        return `${bytes / (1024 * 1024)} MiB`;
    if (bytes % 1024 === 0)
        return `${bytes / 1024} KiB`;
    return `${bytes} bytes`;
}
function classifySocketError(error, host) {
    const code = error.code ?? '';
    // The tunnelling agent reports a refused CONNECT as "…could not be established, statusCode=407"
    // with code ECONNRESET, which would otherwise pass for a transient reset.
    if (/statusCode=407\b/.test(error.message))
        return ['proxy-auth', PROXY_AUTH_DETAIL];
    if (code === 'ENOTFOUND')
        return ['dns', `the host ${host} does not resolve (${code})`];
    // EAI_AGAIN is a DNS server that did not answer this time: a passing fault.
    if (code === 'EAI_AGAIN')
        return ['reset', `DNS lookup of ${host} failed temporarily (${code})`];
    if (code === 'ECONNREFUSED')
        return ['refused', `connection to ${host} refused (${code})`];
    if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED' || error.message === 'socket hang up') {
        return ['reset', `the connection to ${host} was closed without a complete answer (${code || error.message})`];
    }
    if (code === 'ETIMEDOUT' || code === 'ENETUNREACH' || code === 'EHOSTUNREACH') {
        return ['refused', `${host} cannot be reached (${code})`];
    }
    // OpenSSL's verification codes (CERT_HAS_EXPIRED, UNABLE_TO_VERIFY_LEAF_SIGNATURE, SELF_SIGNED_CERT_IN_CHAIN, ...)
    // and Node's own TLS errors: a wrong endpoint or a missing CA, which retrying cannot fix.
    if (/^(ERR_TLS|ERR_SSL|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO)|CERT/.test(code) || /SSL|TLS|certificate/i.test(error.message)) {
        return ['tls', `TLS with ${host} failed (${code || error.message})`];
    }
    return ['other', `request to ${host} failed (${code || error.message})`];
}
/** Debug line for one HTTP exchange: never headers or bodies, which hold signatures and secrets. */
function describeExchange(e) {
    const outcome = e.status !== undefined ? `HTTP ${e.status}` : `no answer (${e.failure ?? 'error'})`;
    return `${e.operation}: ${e.method} ${e.url} → ${outcome} in ${Math.round(e.ms)} ms${e.requestId ? `, request id ${e.requestId}` : ''}`;
}

;// CONCATENATED MODULE: ./src/action/report/troubleshooting.ts
/** The guide, from the repository's root: one section per annotation title. */
const TROUBLESHOOTING_FILE = 'docs/TROUBLESHOOTING.md';
/** owner/name as GitHub spells it */
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
/** a tag, a branch or a commit SHA; nothing that could end the URL or start a query */
const REF = /^[A-Za-z0-9_./-]+$/;
const SERVER = /^https:\/\/[A-Za-z0-9.-]+(:\d+)?$/;
/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to '-'. */
function headingAnchor(heading) {
    return heading
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-');
}
/**
 * A link to the title's section. The runner names the action's repository and ref for `uses: owner/repo@ref`
 * (GITHUB_ACTION_REPOSITORY, GITHUB_ACTION_REF); without them (a local `uses: ./`, a run by hand), the
 * file and section are named instead.
 */
function troubleshootingLink(env, title) {
    const source = actionSource(env);
    const server = (env.GITHUB_SERVER_URL ?? '').replace(/\/+$/, '') || 'https://github.com';
    if (source && SERVER.test(server))
        return `${server}/${source.repository}/blob/${source.ref}/${TROUBLESHOOTING_FILE}#${headingAnchor(title)}`;
    return `${TROUBLESHOOTING_FILE}, section '${title}', in this action's repository`;
}
/** The restore action's `uses:` for a workflow that runs this one as `uses: owner/repo@ref`; a placeholder otherwise. */
function restoreUses(env) {
    const source = actionSource(env);
    return source ? `${source.repository}/restore@${source.ref}` : '<owner>/dws-snapshot-action/restore@v1';
}
/** The repository and ref the runner took this action from, when both are plain enough to write into a link or a workflow. */
function actionSource(env) {
    const repository = env.GITHUB_ACTION_REPOSITORY ?? '';
    const ref = env.GITHUB_ACTION_REF ?? '';
    return REPOSITORY.test(repository) && REF.test(ref) && !ref.includes('..') ? { repository, ref } : undefined;
}

;// CONCATENATED MODULE: ./src/action/report/reporter.ts



function annotate(runner, error, options = {}) {
    const { io, redact, log } = runner;
    const failure = describeFailure(error, { ...runner.context, ...options.context }, runner.action.ownFailures);
    const scope = options.scope === undefined ? '' : ` (${options.scope})`;
    const message = failure.message + (options.leftBehind ?? '');
    const help = troubleshootingLink(io.env, failure.title);
    const annotation = [message, failure.hint ? `Hint: ${failure.hint}` : '', `Troubleshooting: ${help}`].filter(Boolean).join('\n');
    io.error(redact(annotation), annotationTitle(runner.action.name, failure.title) + scope);
    const debug = io.isDebug();
    if (debug && error instanceof Error && 'debugDetail' in error && typeof error.debugDetail === 'string') {
        log.debug(`The service said: ${error.debugDetail}`);
    }
    if (!failure.expected || debug)
        log.debug(error instanceof Error && error.stack ? error.stack : String(error));
    return { title: failure.title + scope, message: redact(message), hint: redact(failure.hint), help: redact(help) };
}

;// CONCATENATED MODULE: ./src/action/runner/metadata.ts
/**
 * An action's inputs as its action.yml declares them: their names (to warn about an input given
 * that the action does not have) and their defaults (applied here too, because a runner-less
 * `node dist/index.js` gets none). Read from the file itself, so the list exists once. The bundle
 * carries its action.yml as an asset (ncc copies what `new URL(..., import.meta.url)` names; the build
 * renames it action-inputs.yml, so nothing under dist/ reads as an action of its own).
 *
 * Only the subset of YAML our action.yml files use is read: under `inputs:`, each input a key
 * indented by two spaces, its `default:` by four, as a plain or single-quoted scalar. A test
 * checks the result against a full YAML parser for every action.yml of the repository.
 */

function readActionMetadata(file) {
    return parseActionInputs((0,external_node_fs_namespaceObject.readFileSync)(file, 'utf8'));
}
function parseActionInputs(yaml) {
    const inputs = [];
    const defaults = {};
    let inInputs = false;
    let current;
    for (const line of yaml.split(/\r?\n/)) {
        if (/^\S/.test(line)) {
            inInputs = /^inputs:\s*$/.test(line);
            current = undefined;
            continue;
        }
        if (!inInputs)
            continue;
        const input = /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(line);
        if (input?.[1] !== undefined) {
            current = input[1];
            inputs.push(current);
            continue;
        }
        const value = /^ {4}default:\s*(.*?)\s*$/.exec(line)?.[1];
        if (current !== undefined && value !== undefined)
            defaults[current] = scalar(value, current);
    }
    return { inputs, defaults };
}
/** A plain or single-quoted YAML scalar (`''` stands for one quote). */
function scalar(text, input) {
    if (text.startsWith("'")) {
        if (!/^'(?:[^']|'')*'$/.test(text))
            throw new Error(`internal error: action.yml: the default of ${input} is not one quoted string`);
        return text.slice(1, -1).replace(/''/g, "'");
    }
    if (/^["|>&*!%@`{[]/.test(text))
        throw new Error(`internal error: action.yml: write the default of ${input} in single quotes`);
    return text;
}

;// CONCATENATED MODULE: ./src/action/step/step.ts
/**
 * The step skeleton both actions run in. It owns everything that touches the runner the same way
 * for each: the secrets (masked and scrubbed from every line), the log, unknown inputs, the check
 * that results can be published, the connections, cancellation, the annotation of a failure, the
 * outputs, the job summary and the exit code. An action brings a Story: what it does, what it
 * reports, and what it says when the runner cancels it.
 */











class Step {
    io;
    action;
    options;
    clock;
    random;
    startedAt;
    stats = { requests: 0, retries: 0 };
    inputs;
    log;
    /** what the run knows when it fails, so messages can name it; filled in as the run learns */
    failureContext = {};
    /** the first failure to write an output: the run goes on, and reports it once at the end */
    outputFailure;
    secrets = new SecretRegistry();
    ownTransport;
    constructor(io, action, options) {
        this.io = io;
        this.action = action;
        this.options = options;
        this.clock = options.clock ?? time/* systemClock */.ml;
        this.random = options.random;
        this.startedAt = this.clock.now();
        this.inputs = new Inputs((name) => io.getInput(name), readActionMetadata(action.metadata));
        this.log = {
            // The runner reads '::' at the start of any line of plain output as a command; annotations are escaped by @actions/core.
            info: (message) => io.info(this.redact(message).replace(/^(\s*)::/gm, '$1: :')),
            notice: (message) => io.notice(this.redact(message)),
            warning: (message) => io.warning(this.redact(message)),
            debug: (message) => io.debug(this.redact(message))
        };
    }
    get env() {
        return this.io.env;
    }
    /** Scrubs every secret registered so far, in every encoding. */
    redact = (text) => this.secrets.redact(text);
    /** Masked on the runner and scrubbed from everything the step writes, from now on. */
    registerSecret = (value) => {
        if (!value)
            return;
        this.io.setSecret(value);
        this.secrets.add(value);
    };
    elapsedMs() {
        return this.clock.now() - this.startedAt;
    }
    /** The run's HTTP transport: one kept connection per host, closed when the step ends. */
    transport(userAgent) {
        if (this.options.transport)
            return this.options.transport;
        this.ownTransport ??= createTransport(userAgent, this.io.isDebug() ? { onExchange: (e) => this.log.debug(describeExchange(e)) } : {});
        return this.ownTransport;
    }
    /** Starts connecting to a host the step is about to call. */
    preconnect(url) {
        this.ownTransport?.preconnect(url);
    }
    /** Before the first request that changes anything: the step must be able to publish what it did. */
    checkResultFiles(files) {
        for (const file of files) {
            const problem = this.io.resultFileProblem(file);
            if (problem !== undefined)
                throw new ResultFileError(problem);
        }
    }
    setOutput(name, value) {
        try {
            this.io.setOutput(name, value);
        }
        catch (error) {
            this.outputFailure ??= error;
        }
    }
    /** One failure in one sentence with its hint, scrubbed: for a warning or a summary line. */
    describe(error) {
        const described = describeFailure(error, this.failureContext, this.action.ownFailures);
        return this.redact(described.hint ? `${described.message} ${described.hint}` : described.message);
    }
    annotate(error, options = {}) {
        return annotate({ io: this.io, redact: this.redact, log: this.log, action: this.action, context: this.failureContext }, error, options);
    }
    /** The title as the runner shows it: `DWS snapshot: Invalid input`. */
    title(title) {
        return annotationTitle(this.action.name, title);
    }
    close() {
        this.ownTransport?.close();
    }
}
/** Runs a story in the step skeleton and sets (and returns) the exit code. */
async function step_runStep(io, action, options, story) {
    const step = new Step(io, action, options);
    const known = step.inputs.metadata.inputs;
    // Before the inputs are read: a misspelt input often explains the error that follows.
    for (const unknown of unknownInputs(io.env, known))
        io.warning(unknownInputMessage(unknown, known), step.title('Unknown input'));
    const stopWatching = onCancel((signal) => {
        const { message, summary } = story.cancelled(step, signal);
        step.log.info(message);
        try {
            io.appendSummarySync(step.redact(summary));
        }
        catch (error) {
            step.log.warning(`Could not write the job summary: ${error.message}`);
        }
    });
    let failure;
    try {
        await story.execute(step);
    }
    catch (error) {
        failure = error;
    }
    finally {
        stopWatching();
    }
    const outcome = await story.report(step, failure);
    let exitCode = outcome.failed ? 1 : 0;
    if (step.outputFailure) {
        const message = `Could not write the step outputs (GITHUB_OUTPUT): ${step.outputFailure.message}.${outcome.leftBehind}`;
        // The run's own failure, if any, keeps its error annotations.
        if (exitCode === 1)
            step.log.warning(message);
        else
            io.error(step.redact(`${message}\nTroubleshooting: ${troubleshootingLink(io.env, 'Outputs not written')}`), step.title('Outputs not written'));
        exitCode = 1;
    }
    try {
        await io.appendSummary(step.redact(outcome.summary));
    }
    catch (error) {
        step.log.warning(`Could not write the job summary: ${error.message}`);
    }
    step.close();
    io.setExitCode(exitCode);
    return exitCode;
}
/** The runner cancels a job with SIGINT, then SIGTERM: say what is left behind, then exit. */
function onCancel(handler) {
    const listener = (signal) => {
        handler(signal);
        process.exit(1);
    };
    process.once('SIGINT', listener);
    process.once('SIGTERM', listener);
    return () => {
        process.off('SIGINT', listener);
        process.off('SIGTERM', listener);
    };
}

;// CONCATENATED MODULE: ./src/restore.ts
/**
 * The restore action, one run: prepare (inputs, checked before any request), sign in, find the
 * snapshot (only an AVAILABLE one), then either restore it into a new cluster (the name checked
 * free first, sent exactly once, the cluster watched until usable) or restore chosen tables into
 * its own cluster (the service's name check first, then the job watched until it ends), then
 * report. With keep: false the new cluster is saved for the post step, which deletes it at the end
 * of the job. The step skeleton (action/step) owns the runner, as for the snapshot action.
 */















const RESTORE_ACTION = {
    name: 'DWS restore',
    metadata: new URL(/* asset import */ __nccwpck_require__(4530), __nccwpck_require__.b),
    ownFailures: describeRestoreFailure
};
/** Where the main step leaves the cluster for the post step (the runner's state). */
const SAVED_CLUSTER = 'cluster';
/** The post step reads until the deleted cluster is gone: every 15 s, for up to 20 minutes. */
const DELETE_CHECKS = { intervalMs: 15_000, times: 80 };
async function runRestore(io = runnerIO(), options = {}) {
    const state = {};
    return runStep(io, RESTORE_ACTION, options, {
        execute: (step) => restore(step, state),
        report: (step, failure) => reportRestoreRun(step, state, failure),
        cancelled: (step, signal) => cancelledRestoreRun(step, state, signal)
    });
}
async function restore(step, state) {
    // Prepare: everything that can be checked without a request.
    const config = (state.config = readRestoreConfig(step.inputs, step.env));
    Object.assign(step.failureContext, cloudFailureContext(config.cloud));
    const workflow = await readWorkflowContext(step.env);
    const deadline = step.startedAt + config.waitTimeoutMs;
    const cloud = (state.cloud = connect(step, config.cloud, {
        deadline,
        workflow,
        clusterId: 'clusterId' in config.snapshot ? config.snapshot.clusterId : '',
        onProject: (projectId) => (step.failureContext.projectId = projectId)
    }));
    if ('clusterId' in config.snapshot)
        step.failureContext.clusterId = config.snapshot.clusterId;
    // The post step learns of the cluster only through the runner's state.
    step.checkResultFiles(config.keep ? ['outputs'] : ['outputs', 'state']);
    // Sign in; the snapshot, which must be AVAILABLE.
    const client = await cloud.client();
    const ctx = { ...cloud.retry, client };
    const snapshot = (state.snapshot = await snapshotToRestore(config.snapshot, ctx));
    step.failureContext.clusterId = snapshot.clusterId;
    if (config.newCluster)
        await restoreIntoNewCluster(step, state, { config, cloud, client, deadline, workflow });
    else
        await restoreTables(step, state, { config, cloud, client, deadline });
}
async function restoreIntoNewCluster(step, state, { config, cloud, client, deadline, workflow }) {
    const snapshot = state.snapshot;
    if (!snapshot || !config.newCluster)
        return;
    const ctx = { ...cloud.retry, client };
    const clusters = await withRetries(() => client.listClusters(), cloud.retry);
    const source = { id: snapshot.clusterId ?? '', name: clusters.find((c) => c.id === snapshot.clusterId)?.name };
    const name = (state.clusterName = newClusterName(config.newCluster.nameTemplate, snapshot, source, workflow, new Date(step.clock.now()), step.log));
    checkClusterNameFree(name, clusters);
    if (config.dryRun) {
        step.log.notice(`Dry run: would restore snapshot '${snapshot.name}' (id ${snapshot.id}) into a new cluster named '${name}'. Nothing was restored.`);
        return;
    }
    state.restored = await restoreOnce({ snapshotId: snapshot.id, clusterName: name, ...config.newCluster.settings }, ctx);
    state.acceptedAt = step.clock.now();
    step.log.info(`Restoring snapshot '${snapshot.name}' into cluster '${name}' (id ${state.restored.clusterId}).`);
    const saved = savedCluster(state);
    if (saved)
        step.io.saveState(SAVED_CLUSTER, JSON.stringify(saved));
    publishAccepted(step, state);
    if (!config.wait)
        return;
    Object.assign(step.failureContext, { clusterId: state.restored.clusterId, clusterRestored: true });
    state.cluster = await waitForCluster(state.restored.clusterId, {
        ...ctx,
        pollIntervalMs: config.pollIntervalMs,
        deadline,
        onUpdate: (cluster) => (state.cluster = cluster)
    });
    state.doneAt = step.clock.now();
}
async function restoreTables(step, state, { config, cloud, client, deadline }) {
    const snapshot = state.snapshot;
    if (!snapshot || !config.tables)
        return;
    const ctx = { ...cloud.retry, client };
    const request = (state.tables = tableRestoreRequest(snapshot, config.tables));
    // The snapshot's own cluster, for its state and the summary; reading it needs its own permission.
    state.cluster = await withRetries(() => client.getCluster(snapshot.clusterId ?? ''), cloud.retry).catch(() => undefined);
    await checkTables(request, state.cluster, ctx);
    if (config.dryRun) {
        step.log.notice(`Dry run: the service accepts the table names; would restore ${request.tables.length} table(s). Nothing was restored.`);
        return;
    }
    const jobId = await restoreTablesOnce(request, { ...ctx, busyMaxDelayMs: config.pollIntervalMs });
    state.job = { id: jobId, status: 'INIT' };
    state.acceptedAt = step.clock.now();
    step.log.info(`Restoring ${request.tables.length} table(s) of snapshot '${snapshot.name}': job ${jobId}.`);
    publishAccepted(step, state);
    if (!config.wait)
        return;
    state.job = await waitForJob(jobId, { ...ctx, pollIntervalMs: config.pollIntervalMs, deadline, onUpdate: (job) => (state.job = job) });
    state.doneAt = step.clock.now();
}
/**
 * The post step, at the end of the job whatever happened: deletes the cluster the main step saved
 * (made by it, never adopted, and only while it still has its name), confirmed by reading until it
 * is gone. Without a saved cluster it does nothing.
 */
async function runRestorePost(io = io_runnerIO(), options = {}) {
    let cluster;
    let outcome;
    return step_runStep(io, RESTORE_ACTION, options, {
        execute: async (step) => {
            cluster = readSavedCluster(io.getState(SAVED_CLUSTER));
            if (cluster === undefined) {
                step.log.info('No cluster of this step to delete.');
                return;
            }
            if (cluster.adopted) {
                step.io.warning(`Cluster '${cluster.name}' (id ${cluster.id}) was found by name after a lost answer, so this step cannot prove it made it: it is not deleted. Delete it in the DWS console if it is the copy.`, step.title('Cluster not deleted'));
                return;
            }
            // Only where and as whom: the other inputs were the main step's business.
            const config = cloud_readCloudConfig(step.inputs, step.env);
            Object.assign(step.failureContext, failure_cloudFailureContext(config), { clusterId: cluster.id, clusterRestored: true });
            const deadline = step.startedAt + DELETE_CHECKS.intervalMs * DELETE_CHECKS.times;
            const cloud = connect_connect(step, config, { deadline, workflow: await workflow_readWorkflowContext(step.env), clusterId: cluster.id });
            const client = await cloud.client();
            outcome = await deleteClusterAndConfirm(cluster, DELETE_CHECKS, { ...cloud.retry, client });
            step.log.info(`Cluster '${cluster.name}' (id ${cluster.id}) ${outcome === 'deleted' ? 'deleted' : 'was already gone'}.`);
        },
        report: (step, failure) => reportDeletion(step, { cluster, outcome }, failure),
        cancelled: (_step, signal) => ({ message: `Cancelled (${signal}) while deleting the preview cluster.`, summary: '' })
    });
}
/** The cluster the main step saved; anything else in the state is not trusted to delete by. */
function readSavedCluster(text) {
    let saved;
    try {
        saved = text ? JSON.parse(text) : null;
    }
    catch {
        return undefined;
    }
    const id = (0,answers/* asUuid */.WD)(saved?.id);
    if (id === undefined || typeof saved?.name !== 'string' || typeof saved.adopted !== 'boolean')
        return undefined;
    return { id, name: saved.name, adopted: saved.adopted };
}


/***/ }),

/***/ 4530:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

module.exports = __nccwpck_require__.p + "2a4c84e1d7d6555d696b.yml";

/***/ }),

/***/ 2613:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 5317:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("child_process");

/***/ }),

/***/ 6982:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");

/***/ }),

/***/ 4434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 9896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 8611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 5692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 9278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 4589:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:assert");

/***/ }),

/***/ 6698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");

/***/ }),

/***/ 7540:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:console");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 3053:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:diagnostics_channel");

/***/ }),

/***/ 610:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns");

/***/ }),

/***/ 8474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 7067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 2467:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");

/***/ }),

/***/ 7030:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");

/***/ }),

/***/ 643:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:perf_hooks");

/***/ }),

/***/ 1792:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:querystring");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 1692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

/***/ }),

/***/ 3136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 7975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 3429:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util/types");

/***/ }),

/***/ 5919:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 857:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");

/***/ }),

/***/ 6928:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");

/***/ }),

/***/ 3193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");

/***/ }),

/***/ 3557:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("timers");

/***/ }),

/***/ 4756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 9023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ }),

/***/ 9783:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   s: () => (/* binding */ getProxyUrl)
/* harmony export */ });
/* unused harmony export checkBypass */
function getProxyUrl(reqUrl) {
    const usingSsl = reqUrl.protocol === 'https:';
    if (checkBypass(reqUrl)) {
        return undefined;
    }
    const proxyVar = (() => {
        if (usingSsl) {
            return process.env['https_proxy'] || process.env['HTTPS_PROXY'];
        }
        else {
            return process.env['http_proxy'] || process.env['HTTP_PROXY'];
        }
    })();
    if (proxyVar) {
        try {
            return new DecodedURL(proxyVar);
        }
        catch (_a) {
            if (!proxyVar.startsWith('http://') && !proxyVar.startsWith('https://'))
                return new DecodedURL(`http://${proxyVar}`);
        }
    }
    else {
        return undefined;
    }
}
function checkBypass(reqUrl) {
    if (!reqUrl.hostname) {
        return false;
    }
    const reqHost = reqUrl.hostname;
    if (isLoopbackAddress(reqHost)) {
        return true;
    }
    const noProxy = process.env['no_proxy'] || process.env['NO_PROXY'] || '';
    if (!noProxy) {
        return false;
    }
    // Determine the request port
    let reqPort;
    if (reqUrl.port) {
        reqPort = Number(reqUrl.port);
    }
    else if (reqUrl.protocol === 'http:') {
        reqPort = 80;
    }
    else if (reqUrl.protocol === 'https:') {
        reqPort = 443;
    }
    // Format the request hostname and hostname with port
    const upperReqHosts = [reqUrl.hostname.toUpperCase()];
    if (typeof reqPort === 'number') {
        upperReqHosts.push(`${upperReqHosts[0]}:${reqPort}`);
    }
    // Compare request host against noproxy
    for (const upperNoProxyItem of noProxy
        .split(',')
        .map(x => x.trim().toUpperCase())
        .filter(x => x)) {
        if (upperNoProxyItem === '*' ||
            upperReqHosts.some(x => x === upperNoProxyItem ||
                x.endsWith(`.${upperNoProxyItem}`) ||
                (upperNoProxyItem.startsWith('.') &&
                    x.endsWith(`${upperNoProxyItem}`)))) {
            return true;
        }
    }
    return false;
}
function isLoopbackAddress(host) {
    const hostLower = host.toLowerCase();
    return (hostLower === 'localhost' ||
        hostLower.startsWith('127.') ||
        hostLower.startsWith('[::1]') ||
        hostLower.startsWith('[0:0:0:0:0:0:0:1]'));
}
class DecodedURL extends URL {
    constructor(url, base) {
        super(url, base);
        this._decodedUsername = decodeURIComponent(super.username);
        this._decodedPassword = decodeURIComponent(super.password);
    }
    get username() {
        return this._decodedUsername;
    }
    get password() {
        return this._decodedPassword;
    }
}
//# sourceMappingURL=proxy.js.map

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/publicPath */
/******/ (() => {
/******/ 	var scriptUrl;
/******/ 	if (typeof import.meta.url === "string") scriptUrl = import.meta.url
/******/ 	// When supporting browsers where an automatic publicPath is not supported you must specify an output.publicPath manually via configuration
/******/ 	// or pass an empty string ("") and set the __webpack_public_path__ variable from your code to use your own logic.
/******/ 	if (!scriptUrl) throw new Error("Automatic publicPath is not supported in this browser");
/******/ 	scriptUrl = scriptUrl.replace(/#.*$/, "").replace(/\?.*$/, "").replace(/\/[^\/]+$/, "/");
/******/ 	__nccwpck_require__.p = scriptUrl;
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	__nccwpck_require__.b = new URL("./", import.meta.url);
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(4808);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
