export const id = 517;
export const ids = [517];
export const modules = {

/***/ 7517:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  prune: () => (/* binding */ prune)
});

// EXTERNAL MODULE: ./src/cloud/errors.ts
var errors = __webpack_require__(1246);
// EXTERNAL MODULE: ./src/cloud/retry.ts
var retry = __webpack_require__(6451);
// EXTERNAL MODULE: ./src/kernel/time.ts
var time = __webpack_require__(884);
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
            await (0,retry/* withRetries */.LH)(read, ctx);
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

// EXTERNAL MODULE: ./src/dws/names.ts
var names = __webpack_require__(5202);
// EXTERNAL MODULE: ./src/dws/status.ts
var dws_status = __webpack_require__(9754);
;// CONCATENATED MODULE: ./src/dws/retention.ts
/**
 * Retention: which of a cluster's snapshots to delete, and why each other one is kept. Pure.
 *
 * A snapshot may be deleted only if every one of these holds: it belongs to this cluster, is MANUAL,
 * carries this action's description marker, has a name matching `keep_match`, is not this run's
 * snapshot, and is in a settled state (AVAILABLE or UNAVAILABLE). Of those, it is kept when it is
 * among the newest `keep_last` usable snapshots (this run's counts as one) or younger than
 * `keep_within` (the union, as restic's `forget` does). Everything else is deleted, oldest first.
 */


function globToRegExp(glob) {
    const body = glob
        .split('*')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*');
    return new RegExp(`^${body}$`);
}
function startedMs(snapshot) {
    const ms = snapshot.started === undefined ? NaN : Date.parse(snapshot.started);
    return Number.isNaN(ms) ? undefined : ms;
}
/**
 * `current` is this run's snapshot: the one just made (or reused), or, in a dry run, the one that
 * would be made (started now). It is never deleted and counts as the newest usable one.
 */
function planRetention(listed, current, context) {
    const { clusterId, rule, nowMs } = context;
    const matches = globToRegExp(rule.match);
    const keep = [];
    const candidates = [];
    for (const snapshot of listed) {
        if (snapshot.id === current.id)
            continue;
        const reason = protection(snapshot, clusterId, matches, rule.match);
        const started = startedMs(snapshot);
        if (reason !== undefined)
            keep.push({ snapshot, reason });
        else if (started === undefined)
            keep.push({ snapshot, reason: 'no readable start time, so it cannot be ordered' });
        else
            candidates.push({ snapshot, started });
    }
    candidates.sort((a, b) => b.started - a.started || a.snapshot.id.localeCompare(b.snapshot.id));
    const limit = rule.keepLast ?? 0;
    // This run's snapshot is the newest usable one: it takes the first of the keep_last places.
    let usableSeen = 1;
    const remove = [];
    for (const { snapshot, started } of candidates) {
        // Only snapshots that can be restored from count towards keep_last.
        const usable = dws_status/* SNAPSHOT_USABLE */.Gz.has(snapshot.status);
        const rank = usable ? ++usableSeen : undefined;
        const young = rule.keepWithinMs !== undefined && nowMs - started < rule.keepWithinMs;
        if (rank !== undefined && rank <= limit)
            keep.push({ snapshot, reason: `one of the newest ${limit} (keep_last)` });
        else if (young)
            keep.push({ snapshot, reason: 'younger than keep_within' });
        else
            remove.push({ snapshot, reason: deleteReason(usable, rule) });
    }
    keep.sort((a, b) => newestFirst(a.snapshot, b.snapshot));
    return { delete: remove.reverse(), keep: [{ snapshot: current, reason: "this run's snapshot" }, ...keep] };
}
/** Snapshots without a readable start time last. */
function newestFirst(a, b) {
    const ta = startedMs(a) ?? -Infinity;
    const tb = startedMs(b) ?? -Infinity;
    return ta === tb ? 0 : tb > ta ? 1 : -1;
}
/** Why a listed snapshot is not ours to delete, or undefined when it is a candidate. */
function protection(snapshot, clusterId, matches, glob) {
    if (snapshot.clusterId !== clusterId)
        return 'not shown as a snapshot of this cluster';
    if (snapshot.type !== 'MANUAL')
        return `type ${snapshot.type ?? 'not given'}, not MANUAL`;
    if (!(0,names/* hasMarker */.xY)(snapshot.description))
        return 'not made by this action (no marker in its description)';
    if (!matches.test(snapshot.name))
        return `name does not match keep_match '${glob}'`;
    if (!dws_status/* SNAPSHOT_DELETABLE */.US.has(snapshot.status))
        return `status ${snapshot.status}: never deleted`;
    return undefined;
}
function deleteReason(usable, rule) {
    const parts = [];
    if (rule.keepLast !== undefined)
        parts.push(usable ? `older than the newest ${rule.keepLast}` : 'failed, so not counted by keep_last');
    if (rule.keepWithinMs !== undefined)
        parts.push('older than keep_within');
    return parts.join(' and ');
}

;// CONCATENATED MODULE: ./src/dws/prune.ts
/**
 * Carrying out a retention plan: list the cluster's snapshots, plan, then delete oldest first, one at
 * a time, and confirm each is gone before counting it deleted. A deletion that fails is recorded and
 * the next one is tried: retention never fails the step, whose result is the new snapshot.
 */





/** Deletions are confirmed by reading the snapshot every 5 s, for up to a minute each. */
const DELETION_CHECKS = { intervalMs: 5000, times: 12 };
/** The service accepted the deletion but the snapshot still showed after every check. */
class DeletionNotConfirmedError extends Error {
    constructor(snapshot, waitedMs) {
        super(`The service accepted the deletion of snapshot '${snapshot.name}' (id ${snapshot.id}), but it still showed ` +
            `${(0,time/* formatDuration */.a3)(waitedMs)} later; check the DWS console.`);
        this.name = 'DeletionNotConfirmedError';
    }
}
async function prune(current, options) {
    const { client, clock, log } = options;
    const listed = await (0,retry/* withRetries */.LH)(() => client.listClusterSnapshots(options.clusterId), options);
    const plan = planRetention(listed, current, { clusterId: options.clusterId, rule: options.rule, nowMs: clock.now() });
    const result = { plan, dryRun: options.dryRun, deleted: [], failed: [] };
    log.info(`Retention: ${plan.delete.length} to delete, ${plan.keep.length} kept of ${listed.length} snapshots of the cluster.`);
    for (const { snapshot, reason } of plan.delete) {
        if (options.dryRun) {
            log.info(`Dry run: would delete snapshot '${snapshot.name}' (id ${snapshot.id}, started ${snapshot.started ?? '?'}): ${reason}.`);
            continue;
        }
        try {
            await deleteAndConfirm(snapshot, options);
            result.deleted.push(snapshot);
            log.info(`Deleted snapshot '${snapshot.name}' (id ${snapshot.id}, started ${snapshot.started ?? '?'}): ${reason}.`);
        }
        catch (error) {
            result.failed.push({ snapshot, error });
        }
    }
    return result;
}
/**
 * DELETE, then read the snapshot until the service says it does not exist. A DELETE refused with
 * DWS.0001 may mean "already deleted" (a retried DELETE whose first answer was lost): the reads
 * decide, and if the snapshot stays, the refusal is the failure.
 */
async function deleteAndConfirm(snapshot, options) {
    const { client, clock } = options;
    let refused;
    try {
        await (0,retry/* withRetries */.LH)(() => client.deleteSnapshot(snapshot.id), options);
    }
    catch (error) {
        if (!isGone(error))
            throw error;
        refused = error;
    }
    const startedAt = clock.now();
    if (await confirmGone(() => client.getSnapshot(snapshot.id), isGone, DELETION_CHECKS, options))
        return;
    throw refused ?? new DeletionNotConfirmedError(snapshot, clock.now() - startedAt);
}
/** How the service says a snapshot does not exist: 400 DWS.5149 on a read, 400 DWS.0001 on a repeated delete. */
function isGone(error) {
    return (error instanceof errors/* ApiError */.hD && (error.status === 400 || error.status === 404) && ['DWS.5149', 'DWS.0001'].includes(error.errorCode ?? ''));
}


/***/ })

};
