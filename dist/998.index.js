export const id = 998;
export const ids = [998];
export const modules = {

/***/ 4998:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  oidcStsCredentials: () => (/* binding */ oidcStsCredentials)
});

// EXTERNAL MODULE: ./src/cloud/retry.ts
var retry = __webpack_require__(6451);
// EXTERNAL MODULE: ./src/cloud/answers.ts
var answers = __webpack_require__(666);
;// CONCATENATED MODULE: ./src/cloud/sts.ts
/**
 * IAM v5 STS `AssumeAgencyWithOIDC`: an OIDC ID token in, temporary keys for an agency out. The call
 * is unsigned (the token is the proof). Knows nothing of where the token comes from.
 */

/** Unsigned, and reported as a failed sign-in, never under its own title. */
const ASSUME_AGENCY = { name: 'Assume agency with OIDC' };
/**
 * `onSecrets` is told the temporary keys the moment the answer is read, before anything else
 * handles them, so they are masked before they could be printed.
 */
async function assumeAgencyWithOidc(api, stsEndpoint, request, onSecrets) {
    const operation = ASSUME_AGENCY;
    const answer = await api.send({
        operation,
        method: 'POST',
        base: stsEndpoint,
        path: '/v5/agencies/assume-with-oidc',
        unsigned: true,
        body: {
            id_token: request.idToken,
            provider_urn: request.providerUrn,
            agency_urn: request.agencyUrn,
            agency_session_name: request.sessionName,
            duration_seconds: request.durationSeconds
        }
    });
    const credentials = (0,answers/* isObject */.Gv)(answer.body) && (0,answers/* isObject */.Gv)(answer.body.credentials) ? answer.body.credentials : undefined;
    const secret = (name) => {
        const value = credentials?.[name];
        return typeof value === 'string' && value !== '' ? value : undefined;
    };
    const accessKeyId = secret('access_key_id');
    const secretAccessKey = secret('secret_access_key');
    const securityToken = secret('security_token');
    onSecrets([accessKeyId, secretAccessKey, securityToken].filter((v) => v !== undefined));
    if (!accessKeyId || !secretAccessKey || !securityToken) {
        throw new answers/* UnexpectedAnswerError */.qx(operation, 'it carries no complete credentials (access_key_id, secret_access_key, security_token)');
    }
    const expiration = (0,answers/* serviceTime */.DR)(credentials?.expiration);
    if (expiration === undefined)
        throw new answers/* UnexpectedAnswerError */.qx(operation, 'credentials.expiration is not a time');
    const assumed = (0,answers/* isObject */.Gv)(answer.body) && (0,answers/* isObject */.Gv)(answer.body.assumed_agency) ? answer.body.assumed_agency : undefined;
    return {
        accessKeyId,
        secretAccessKey,
        securityToken,
        expiresAt: Date.parse(expiration),
        agencyUrn: (0,answers/* text */.Qq)(assumed?.urn, api.clean) ?? request.agencyUrn
    };
}

// EXTERNAL MODULE: ./src/auth/github-id-token.ts
var github_id_token = __webpack_require__(6325);
// EXTERNAL MODULE: ./src/auth/session.ts
var session = __webpack_require__(4990);
// EXTERNAL MODULE: ./src/auth/sign-in-error.ts
var sign_in_error = __webpack_require__(5190);
;// CONCATENATED MODULE: ./src/auth/oidc-sts.ts





function oidcStsCredentials(config, deps) {
    const { clock, log } = deps.retry;
    return (0,session/* expiringCredentials */.B)(async () => {
        const idToken = await (0,github_id_token/* freshIdToken */.jA)(config.audience, { ...deps, clock, log, clean: deps.api.clean });
        const request = {
            idToken,
            providerUrn: config.providerUrn,
            agencyUrn: config.agencyUrn,
            sessionName: config.sessionName,
            durationSeconds: config.durationSeconds
        };
        try {
            const session = await (0,retry/* withRetries */.LH)(() => assumeAgencyWithOidc(deps.api, config.stsEndpoint, request, (values) => values.forEach(deps.registerSecret)), deps.retry);
            return {
                credentials: {
                    kind: 'aksk',
                    accessKeyId: session.accessKeyId,
                    secretAccessKey: session.secretAccessKey,
                    securityToken: session.securityToken
                },
                expiresAt: session.expiresAt,
                identity: session.agencyUrn
            };
        }
        catch (error) {
            throw new sign_in_error/* SignInError */.J('oidc-sts', error, (0,github_id_token/* idTokenClaims */.e0)(idToken, deps.api.clean));
        }
    }, { clock, log, onSignedIn: deps.onSignedIn });
}


/***/ }),

/***/ 4990:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ expiringCredentials)
/* harmony export */ });
/* unused harmony export RENEW_BEFORE_MS */
/* harmony import */ var _kernel_time_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(884);

/** Renew this long before expiry: a request signed just before it must still arrive in time. */
const RENEW_BEFORE_MS = 5 * 60 * 1000;
function expiringCredentials(signIn, deps) {
    let current;
    let pending;
    let count = 0;
    const start = () => signIn().then((session) => {
        const now = deps.clock.now();
        // A session shorter than twice the margin is renewed halfway, not on every request.
        const renewAt = Math.max(session.expiresAt - RENEW_BEFORE_MS, now + (session.expiresAt - now) / 2);
        current = { session, renewAt };
        count += 1;
        deps.log.info(`${count === 1 ? 'Signed in' : 'Signed in again'} as ${session.identity}, expiring at ${(0,_kernel_time_js__WEBPACK_IMPORTED_MODULE_0__/* .isoSeconds */ .nE)(session.expiresAt)}`);
        deps.onSignedIn?.({ identity: session.identity, expiresAt: session.expiresAt, projectId: session.projectId, count });
        return session;
    });
    return {
        async get() {
            if (current && deps.clock.now() < current.renewAt)
                return current.session.credentials;
            pending ??= start().finally(() => {
                pending = undefined;
            });
            return (await pending).credentials;
        },
        invalidate() {
            current = undefined;
        }
    };
}


/***/ })

};
