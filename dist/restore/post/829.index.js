export const id = 829;
export const ids = [829];
export const modules = {

/***/ 5829:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   oidcIamCredentials: () => (/* binding */ oidcIamCredentials)
/* harmony export */ });
/* harmony import */ var _cloud_iam_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1352);
/* harmony import */ var _cloud_retry_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6451);
/* harmony import */ var _github_id_token_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6325);
/* harmony import */ var _session_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4990);
/* harmony import */ var _sign_in_error_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(5190);





function oidcIamCredentials(config, deps) {
    const { clock, log } = deps.retry;
    return (0,_session_js__WEBPACK_IMPORTED_MODULE_3__/* .expiringCredentials */ .B)(async () => {
        const idToken = await (0,_github_id_token_js__WEBPACK_IMPORTED_MODULE_2__/* .freshIdToken */ .jA)(config.audience, { ...deps, clock, log, clean: deps.api.clean });
        try {
            const token = await (0,_cloud_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .withRetries */ .LH)(() => (0,_cloud_iam_js__WEBPACK_IMPORTED_MODULE_0__/* .federatedToken */ .uA)(deps.api, config.iamEndpoint, { idpId: config.idpId, idToken, project: config.project }, deps.registerSecret), deps.retry);
            return {
                credentials: { kind: 'token', token: token.token },
                expiresAt: token.expiresAt,
                identity: token.user,
                projectId: token.projectId
            };
        }
        catch (error) {
            throw new _sign_in_error_js__WEBPACK_IMPORTED_MODULE_4__/* .SignInError */ .J('oidc-iam', error, (0,_github_id_token_js__WEBPACK_IMPORTED_MODULE_2__/* .idTokenClaims */ .e0)(idToken, deps.api.clean));
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
