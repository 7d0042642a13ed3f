export const id = 440;
export const ids = [440];
export const modules = {

/***/ 5440:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   renderFleetSummary: () => (/* binding */ renderFleetSummary)
/* harmony export */ });
/* harmony import */ var _kernel_time_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(884);
/* harmony import */ var _markdown_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6948);


function renderFleetSummary(rows, run) {
    const failed = rows.filter((row) => row.error);
    const heading = run.dryRun
        ? `### ${failed.length > 0 ? '❌' : '✅'} DWS snapshot dry run for ${rows.length} clusters${failed.length > 0 ? `: ${failed.length} failed` : ' passed: nothing was created'}`
        : failed.length > 0
            ? `### ❌ DWS snapshots: ${failed.length} of ${rows.length} clusters failed`
            : `### ✅ DWS snapshots of ${rows.length} clusters ${rows.every((row) => row.result.status === 'CREATING') ? 'accepted by the service' : 'ready'}`;
    const lines = [heading, '', '| Cluster | Snapshot | Status | Size | Duration |', '|---|---|---|---|---|'];
    for (const { result, clusterName, error } of rows) {
        const cluster = (0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownText */ .p7)(clusterName ? `${clusterName} (${result.clusterId})` : result.clusterId);
        const snapshot = (0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownText */ .p7)(result.snapshotId ? `${result.snapshotName} (${result.snapshotId})` : result.snapshotName);
        const status = error ? `failed: ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownText */ .p7)(error.title)}` : (0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownText */ .p7)(result.status ?? '');
        const size = result.sizeGb === undefined ? '' : `${result.sizeGb} GB`;
        lines.push(`| ${cluster} | ${snapshot} | ${status} | ${size} | ${duration(result)} |`);
    }
    for (const { result, clusterName, error } of failed) {
        if (!error)
            continue;
        lines.push('', `**${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownText */ .p7)(clusterName ?? result.clusterId)}:** ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownText */ .p7)(error.message)}`);
        if (error.hint)
            lines.push('', `**What to do:** ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownText */ .p7)(error.hint)}`);
    }
    lines.push('', `API requests: ${run.requests}${run.retries ? ` (${run.retries} retried)` : ''}; elapsed in this step: ${Math.round(run.elapsedMs / 1000)} s`);
    return lines.join('\n') + '\n';
}
function duration(result) {
    if (!result.startedAt || !result.finishedAt)
        return '';
    const ms = Date.parse(result.finishedAt) - Date.parse(result.startedAt);
    return Number.isFinite(ms) && ms >= 0 ? (0,_kernel_time_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(ms) : '';
}


/***/ })

};
