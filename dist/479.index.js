export const id = 479;
export const ids = [479];
export const modules = {

/***/ 6479:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   retentionLines: () => (/* binding */ retentionLines),
/* harmony export */   retentionReport: () => (/* binding */ retentionReport),
/* harmony export */   retentionSection: () => (/* binding */ retentionSection),
/* harmony export */   ruleText: () => (/* binding */ ruleText),
/* harmony export */   warnAboutRetention: () => (/* binding */ warnAboutRetention)
/* harmony export */ });
/* harmony import */ var _kernel_time_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(884);
/* harmony import */ var _markdown_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6948);


/** The retention part of the report; `describe` turns a failure into one redacted sentence. */
function retentionReport(retention, error, rule, describe) {
    if (retention === undefined && error === undefined)
        return undefined;
    const line = (snapshot, note) => ({
        id: snapshot.id,
        name: snapshot.name,
        started: snapshot.started,
        note
    });
    if (retention === undefined)
        return { dryRun: false, rule, deleted: [], notDeleted: [], kept: [], error: describe(error) };
    const reasons = new Map(retention.plan.delete.map((p) => [p.snapshot.id, p.reason]));
    return {
        dryRun: retention.dryRun,
        rule,
        deleted: retention.deleted.map((s) => line(s, reasons.get(s.id) ?? '')),
        notDeleted: retention.dryRun
            ? retention.plan.delete.map((p) => line(p.snapshot, p.reason))
            : retention.failed.map((f) => line(f.snapshot, describe(f.error))),
        kept: retention.plan.keep.map((p) => line(p.snapshot, p.reason))
    };
}
/** The summary's retention section, or undefined when retention neither ran nor failed. */
function retentionLines(...args) {
    const report = retentionReport(...args);
    return report && retentionSection(report);
}
function retentionSection(r) {
    const title = r.dryRun ? '#### Retention plan (dry run: nothing was deleted)' : '#### Retention';
    const out = [title, ''];
    if (r.error !== undefined) {
        out.push(`Retention did not run: ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownText */ .p7)(r.error)} Nothing was deleted.`);
        return out;
    }
    const rule = (0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownText */ .p7)(r.rule);
    if (r.dryRun)
        out.push(`Would delete ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .plural */ .LS)(r.notDeleted.length, 'snapshot')}; ${r.kept.length} kept (${rule}).`);
    else {
        const failed = r.notDeleted.length > 0 ? `, ${r.notDeleted.length} could not be deleted` : '';
        out.push(`Deleted ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .plural */ .LS)(r.deleted.length, 'snapshot')}${failed}; ${r.kept.length} kept (${rule}).`);
    }
    const snapshotTable = (header, items) => items.length === 0
        ? []
        : [
            '',
            `| ${header} | ID | Started | Why |`,
            '|---|---|---|---|',
            ...items.map((s) => `| ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownText */ .p7)(s.name)} | ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownText */ .p7)(s.id)} | ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownText */ .p7)(s.started ?? '')} | ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownText */ .p7)(s.note)} |`)
        ];
    if (r.dryRun)
        out.push(...snapshotTable('Would delete', r.notDeleted));
    else
        out.push(...snapshotTable('Deleted', r.deleted), ...snapshotTable('Not deleted', r.notDeleted));
    if (r.kept.length > 0) {
        out.push('', `<details><summary>${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .plural */ .LS)(r.kept.length, 'snapshot')} kept, and why</summary>`, ...snapshotTable('Kept', r.kept), '', '</details>');
    }
    return out;
}
function ruleText(rule) {
    const days = rule.keepWithinMs !== undefined && rule.keepWithinMs % 86_400_000 === 0 ? `${rule.keepWithinMs / 86_400_000}d` : undefined;
    const parts = [
        rule.keepLast === undefined ? '' : `keep_last ${rule.keepLast}`,
        rule.keepWithinMs === undefined ? '' : `keep_within ${days ?? (0,_kernel_time_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(rule.keepWithinMs)}`,
        `names matching ${rule.match}`
    ];
    return parts.filter(Boolean).join(', ');
}
/** Retention never fails the step: what it could not do is a warning each, the snapshot stays the result. */
function warnAboutRetention(outcome, describe, log) {
    if (outcome?.retentionError !== undefined)
        log.warning(`Retention did not run, nothing was deleted: ${describe(outcome.retentionError)}`);
    for (const { snapshot, error } of outcome?.retention?.failed ?? []) {
        log.warning(`Could not delete snapshot '${snapshot.name}' (id ${snapshot.id}): ${describe(error)}`);
    }
}


/***/ })

};
