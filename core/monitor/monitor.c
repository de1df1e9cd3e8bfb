/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * thinbox monitor: the in-process autoextend loop (see thinbox.h "monitor" and docs/monitor.md).
 *
 * One thread, one poll(): the device-mapper control fd armed with DM_DEV_ARM_POLL (readable
 * after any dm event: a pool crossing its low water mark, any resume, create or remove) and a
 * signalfd. After every wakeup, and at least every interval, each watched pool's status is
 * read again (the low-water event is edge-triggered: the kernel raises it once and re-arms it
 * only on resume). A pool at or over its threshold is grown in-process by tb_pool_autoextend,
 * the same step as `lvextend --use-policies`, under V_<vg>.
 *
 * Which pools: the kernel's thin-pool devices (uuid "LVM-<vgid><lvid>-tpool") matched with
 * the VGs on disk. The device list is read on every pass (one ioctl); the VGs only at start,
 * on SIGHUP, when an unknown pool device appears, and every rescan interval.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/activate/activate.h"
#include "core/monitor/monitor.h"
#include "core/policy/policy.h"
#include "core/monitor/monitor-state.h"

enum pstate {
	PS_OK = 0,
	PS_FAILED, /* Fail / Error status */
	PS_NEEDS_CHECK,
	PS_RO,
	PS_NOSPACE, /* the VG has no free extent */
	PS_CAPPED,  /* thin_pool_autoextend_max_size reached */
	PS_ERROR,   /* extension failed for another reason */
	PS_OFF,     /* lvchange --monitor n */
};

struct mpool {
	char vg[MD_NAME_MAX + 1], lv[MD_NAME_MAX + 1];
	char uuid[DMK_UUID_LEN];
	char dm_name[DMK_NAME_LEN];
	int64_t threshold;
	uint64_t vg_tid;
	bool marked, present, ewf_forced, outside_noted, need_lwm, oods_noted;
	enum pstate state;
	uint64_t next_try; /* ms, monotonic; 0: now */
	unsigned backoff_ms;
	struct timespec backup_mtime; /* the VG's backup file when the last try failed */
	struct tb_pool_stage *stage;  /* the next extension, staged (core/policy/stage.c) */
	uint64_t stage_checked;       /* ms: when the stage was last seen fresh */
	uint64_t stage_next;          /* ms: no staging attempt before this */
	struct timespec stage_mtime;  /* the backup file when staging found nothing to do */
};

struct mon {
	struct tb_ctx *ctx;
	struct tb_monitor_opts o;
	struct dmk_ctx *dmk;
	struct mpool *pools;
	size_t n, cap;
	char **ignored; /* tpool uuids seen in the kernel that are not ours to watch */
	size_t n_ignored;
	uint64_t last_rescan;
	bool want_rescan;
};

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

#define mlog(m, prio, ...) tb_log((m)->ctx, prio, __FILE__, __LINE__, __func__, __VA_ARGS__)

/* Is pool @lv of @vg (@lv NULL: some pool of @vg) among the pools this monitor was given? */
static bool target_wanted(const struct mon *m, const char *vg, const char *lv)
{
	if (!m->o.n_targets)
		return true;
	for (size_t i = 0; i < m->o.n_targets; i++) {
		const char *t = m->o.targets[i], *slash = strchr(t, '/');
		size_t vl = slash ? (size_t)(slash - t) : strlen(t);
		if (strlen(vg) != vl || strncmp(t, vg, vl))
			continue;
		if (!slash || !lv || streq(slash + 1, lv))
			return true;
	}
	return false;
}

static bool is_tpool_uuid(const char *u)
{
	size_t n = strlen(u);
	return n == 4 + 2 * MD_ID_LEN + 6 && !strncmp(u, "LVM-", 4) && streq(u + n - 6, "-tpool");
}

static struct mpool *find_pool(struct mon *m, const char *uuid)
{
	for (size_t i = 0; i < m->n; i++)
		if (streq(m->pools[i].uuid, uuid))
			return &m->pools[i];
	return NULL;
}

static bool is_ignored(const struct mon *m, const char *uuid)
{
	for (size_t i = 0; i < m->n_ignored; i++)
		if (streq(m->ignored[i], uuid))
			return true;
	return false;
}

static void ignored_clear(struct mon *m)
{
	for (size_t i = 0; i < m->n_ignored; i++)
		free(m->ignored[i]);
	free(m->ignored);
	m->ignored = NULL;
	m->n_ignored = 0;
}

static void pool_drop(struct mon *m, size_t i, const char *why)
{
	struct mpool *p = &m->pools[i];

	if (p->marked)
		tb_monitor_unmark(m->ctx, p->vg, p->lv);
	tb_pool_stage_free(p->stage);
	mlog(m, LOG_INFO, "%s/%s: %s; no longer watched.", p->vg, p->lv, why);
	m->pools[i] = m->pools[--m->n];
}

static const char *state_advice(enum pstate s)
{
	switch (s) {
	case PS_FAILED:
		return "has FAILED; it is not extended. Deactivate it, then repair the metadata "
		       "(thin_check; lvconvert --repair or thin_repair) before using it again";
	case PS_NEEDS_CHECK:
		return "is flagged needs_check; thinbox will not message or resize it. Deactivate "
		       "it and run thin_check (then lvconvert --repair or thin_repair if it reports "
		       "damage)";
	case PS_RO:
		return "is read-only (metadata error or out of metadata space); thinbox will not "
		       "resize it. Deactivate it, run thin_check and repair it";
	default:
		return "";
	}
}

/* Log on a change of state only: a pool stuck in one state says so once. */
static void set_state(struct mon *m, struct mpool *p, enum pstate s, int prio, const char *fmt, ...)
	_printf_(5, 6);
static void set_state(struct mon *m, struct mpool *p, enum pstate s, int prio, const char *fmt, ...)
{
	char buf[1200];
	va_list ap;

	if (p->state == s)
		return;
	p->state = s;
	if (!fmt)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	mlog(m, prio, "%s/%s: %s", p->vg, p->lv, buf);
}

/* ---------------------------------------------------------------- discovery */

static int list_kernel(struct mon *m, struct dmk_dev **ret, size_t *ret_n)
{
	int r = dmk_list_devices(m->dmk, ret, ret_n);
	if (r < 0)
		mlog(m, LOG_ERR, "Cannot list device-mapper devices: %s", dmk_errmsg(m->dmk));
	return r;
}

static const struct dmk_dev *kernel_find(const struct dmk_dev *d, size_t n, const char *uuid)
{
	for (size_t i = 0; i < n; i++)
		if (streq(d[i].uuid, uuid))
			return &d[i];
	return NULL;
}

/* Does the table carry the low water mark of the pool's threshold? Not when the pool was
 * activated before its profile was set, or by another tool. */
static bool lwm_ok(struct mon *m, const char *dm_name, int64_t threshold)
{
	struct dmk_target *t = NULL;
	struct dmk_thin_pool_params pp;
	size_t n = 0;
	bool ok = true;

	if (dmk_table(m->dmk, dm_name, 0, &t, &n) == 0 && n == 1 &&
	    dmk_thin_pool_params_parse(t[0].params, &pp) == 0)
		ok = pp.low_water_blocks ==
		     md_pool_low_water_mark(t[0].len, pp.block_sectors, threshold);
	dmk_targets_free(t, n);
	return ok;
}

/* Reload the pool so that its table carries the low water mark, under V_<vg>. */
static void fix_lwm(struct mon *m, struct mpool *p)
{
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	struct md_lv *pool;
	struct tb_lv_state st;

	p->need_lwm = false;
	if (tb_cmd_begin(m->ctx, &c, "monitor") < 0)
		return;
	if (tb_vg_read(&c, p->vg, true, &vg) == 0 && (pool = md_vg_find_lv(vg->md, p->lv)) &&
	    md_lv_is_thin_pool(pool) && !lwm_ok(m, p->dm_name, p->threshold) &&
	    tb_lv_state_get(m->ctx, vg->md, pool, &st) == 0 && st.has_pool_status &&
	    !st.pool_status.fail && !st.pool_status.error && !st.pool_status.needs_check &&
	    st.pool_status.mode == DMK_POOL_RW) {
		mlog(m, LOG_INFO, "%s/%s: loading the low water mark of threshold %" PRId64 "%%.",
		     p->vg, p->lv, p->threshold);
		if (tb_pool_reload(&c, vg, pool) < 0)
			mlog(m, LOG_WARNING, "%s/%s: %s", p->vg, p->lv, tb_ctx_errmsg(m->ctx));
	}
	tb_vg_free(vg);
	tb_cmd_end(&c);
}

static int pool_add(struct mon *m, struct mpool **ret)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 8;
		struct mpool *p = realloc(m->pools, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		m->pools = p;
		m->cap = cap;
	}
	*ret = memset(&m->pools[m->n++], 0, sizeof(struct mpool));
	return 0;
}

static void rescan_vg(struct mon *m, const char *name, const struct dmk_dev *kd, size_t kn)
{
	struct tb_cmd c;
	struct tb_vg *vg = NULL;
	int r;

	if (tb_cmd_begin(m->ctx, &c, "monitor") < 0)
		return;
	r = tb_vg_read(&c, name, false, &vg);
	if (r < 0) {
		mlog(m, LOG_DEBUG, "VG %s: %s", name, tb_ctx_errmsg(m->ctx));
		tb_cmd_end(&c);
		return;
	}
	for (size_t i = 0; i < vg->md->n_lvs; i++) {
		struct md_lv *lv = vg->md->lvs[i];
		_cleanup_free_ char *uuid = NULL;
		const struct dmk_dev *d;
		struct tb_autoextend_limits lim = { .threshold = 100 };
		struct mpool *p;

		if (!md_lv_is_thin_pool(lv) || tb_lv_dm_uuid(vg->md, lv, "tpool", &uuid) < 0)
			continue;
		if (!(d = kernel_find(kd, kn, uuid)) || !target_wanted(m, name, lv->name))
			continue;
		if (tb_autoextend_limits(m->ctx, vg->md, lv, &lim) < 0)
			mlog(m, LOG_WARNING, "%s/%s: %s", name, lv->name, tb_ctx_errmsg(m->ctx));
		p = find_pool(m, uuid);
		if (!p) {
			if (pool_add(m, &p) < 0)
				break;
			snprintf(p->uuid, sizeof(p->uuid), "%s", uuid);
			mlog(m, LOG_NOTICE,
			     "Watching thin pool %s/%s (threshold %" PRId64 "%%, percent %" PRId64
			     "%%%s).",
			     name, lv->name, lim.threshold, lim.percent,
			     lim.threshold >= 100 ? ": autoextend is off" : "");
		} else if (p->threshold != lim.threshold) {
			mlog(m, LOG_NOTICE, "%s/%s: threshold now %" PRId64 "%%.", name, lv->name,
			     lim.threshold);
			p->stage = tb_pool_stage_free(p->stage); /* staged for the old policy */
			p->stage_next = 0;
		}
		snprintf(p->vg, sizeof(p->vg), "%s", name);
		snprintf(p->lv, sizeof(p->lv), "%s", lv->name);
		snprintf(p->dm_name, sizeof(p->dm_name), "%s", d->name);
		p->threshold = lim.threshold;
		p->vg_tid = lv->segs[0].transaction_id;
		p->present = true;
		if (!p->ewf_forced && p->state == PS_OK && !lwm_ok(m, d->name, lim.threshold))
			p->need_lwm = true;
	}
	tb_vg_free(vg);
	tb_cmd_end(&c);
}

static void rescan(struct mon *m)
{
	struct tb_scan s = { 0 };
	struct dmk_dev *kd = NULL;
	size_t kn = 0;
	char **names = NULL;
	size_t nn = 0;

	m->last_rescan = now_ms();
	m->want_rescan = false;
	if (list_kernel(m, &kd, &kn) < 0)
		return;
	if (tb_scan_devices(m->ctx, false, &s) < 0) {
		mlog(m, LOG_ERR, "Cannot scan devices: %s", tb_ctx_errmsg(m->ctx));
		free(kd);
		return;
	}
	names = calloc(s.n + 1, sizeof(*names));
	for (size_t i = 0; names && i < s.n; i++) {
		bool dup = false;
		if (!s.devs[i]->text)
			continue;
		for (size_t k = 0; k < nn; k++)
			dup |= streq(names[k], s.devs[i]->vgname);
		if (dup)
			continue;
		if (!(names[nn] = strdup(s.devs[i]->vgname))) {
			for (size_t k = 0; k < nn; k++)
				free(names[k]);
			free(names);
			names = NULL;
			break;
		}
		nn++;
	}
	tb_scan_free(&s);
	if (!names) {
		/* an incomplete list of VGs would drop every pool it misses as "not found":
		 * keep watching what we watch and try again at the next rescan */
		mlog(m, LOG_WARNING, "Out of memory while rescanning the VGs; retrying later.");
		m->want_rescan = true;
		free(kd);
		return;
	}
	for (size_t i = 0; i < m->n; i++)
		m->pools[i].present = false;
	for (size_t i = 0; i < nn; i++) {
		if (target_wanted(m, names[i], NULL))
			rescan_vg(m, names[i], kd, kn);
		free(names[i]);
	}
	free(names);
	/* pools whose VG is gone or no longer has them */
	for (size_t i = m->n; i-- > 0;)
		if (!m->pools[i].present)
			pool_drop(m, i, "not found in any VG");
	ignored_clear(m);
	for (size_t i = 0; i < kn; i++)
		if (is_tpool_uuid(kd[i].uuid) && !find_pool(m, kd[i].uuid)) {
			char **ig = realloc(m->ignored, (m->n_ignored + 1) * sizeof(*ig));
			if (!ig)
				break;
			m->ignored = ig;
			if ((ig[m->n_ignored] = strdup(kd[i].uuid)))
				m->n_ignored++;
		}
	free(kd);
}

/* The kernel's device list: pools gone, renamed, or new (-> rescan). */
static void sweep(struct mon *m)
{
	struct dmk_dev *kd = NULL;
	size_t kn = 0;

	if (list_kernel(m, &kd, &kn) < 0)
		return;
	for (size_t i = m->n; i-- > 0;) {
		const struct dmk_dev *d = kernel_find(kd, kn, m->pools[i].uuid);
		if (!d)
			pool_drop(m, i, "deactivated");
		else
			snprintf(m->pools[i].dm_name, sizeof(m->pools[i].dm_name), "%s", d->name);
	}
	for (size_t i = 0; i < kn; i++)
		if (is_tpool_uuid(kd[i].uuid) && !find_pool(m, kd[i].uuid) &&
		    !is_ignored(m, kd[i].uuid))
			m->want_rescan = true;
	free(kd);
}

/* ---------------------------------------------------------------- extension */

static void backup_mtime(const struct tb_ctx *ctx, const char *vg, struct timespec *ret)
{
	char path[700];
	struct stat st;

	snprintf(path, sizeof(path), "%s/backup/%s", tb_sysconf_dir(ctx), vg);
	if (stat(path, &st) == 0)
		*ret = st.st_mtim;
	else
		memset(ret, 0, sizeof(*ret));
}

static void retry_later(struct mon *m, struct mpool *p)
{
	unsigned max = m->o.retry_max_ms;

	p->backoff_ms = p->backoff_ms ? MIN(2 * p->backoff_ms, max) : MIN(1000u, max);
	p->next_try = now_ms() + p->backoff_ms;
	backup_mtime(m->ctx, p->vg, &p->backup_mtime);
}

/* Switch a pool that cannot grow to error_if_no_space (kernel table only: the VG keeps its
 * setting, and the next reload after a successful extension restores it). */
static void force_ewf(struct mon *m, struct tb_cmd *c, struct tb_vg *vg, struct md_lv *pool,
		      struct mpool *p)
{
	uint32_t saved = pool->flags;
	int r;

	if (p->ewf_forced || (pool->flags & MD_LVF_ERROR_WHEN_FULL))
		return;
	pool->flags |= MD_LVF_ERROR_WHEN_FULL;
	r = tb_pool_reload(c, vg, pool);
	pool->flags = saved;
	if (r < 0) {
		mlog(m, LOG_ERR, "%s/%s: cannot switch to error_if_no_space: %s", p->vg, p->lv,
		     tb_ctx_errmsg(m->ctx));
		return;
	}
	p->ewf_forced = true;
	mlog(m, LOG_WARNING,
	     "%s/%s: switched to error_if_no_space: writers get ENOSPC instead of "
	     "waiting when it fills (thin_pool_autoextend_error_when_full=1).",
	     p->vg, p->lv);
}

/* While the extension reads and commits the VG, a helper thread makes the pool commit its
 * own metadata (a status read with flush): the commit that the pool's suspend must do then
 * finds little left, and the suspend is shorter. */
struct precommit {
	char name[DMK_NAME_LEN];
	pthread_t th;
	bool started;
};

static void *precommit_fn(void *arg)
{
	struct precommit *pc = arg;
	struct dmk_ctx *d = NULL;
	struct dmk_target *t = NULL;
	size_t n = 0;

	if (dmk_ctx_new(&d) == 0 && dmk_status(d, pc->name, 0, &t, &n) == 0)
		dmk_targets_free(t, n);
	dmk_ctx_free(d);
	return NULL;
}

static void precommit_start(struct precommit *pc, const char *name)
{
	snprintf(pc->name, sizeof(pc->name), "%s", name);
	pc->started = pthread_create(&pc->th, NULL, precommit_fn, pc) == 0;
}

static void precommit_join(struct precommit *pc)
{
	if (pc->started)
		pthread_join(pc->th, NULL);
	pc->started = false;
}

static void extended(struct mon *m, struct mpool *p, const struct tb_autoextend_result *res,
		     uint64_t t0, const char *how)
{
	if (res->data_new != res->data_old || res->meta_new != res->meta_old) {
		mlog(m, LOG_NOTICE,
		     "%s/%s: extended in %" PRIu64 " ms%s: data %u -> %u extents, "
		     "metadata %u -> %u extents%s.",
		     p->vg, p->lv, now_ms() - t0, how, res->data_old, res->data_new, res->meta_old,
		     res->meta_new,
		     res->vg_short ? " (all the VG had left)"
		     : res->capped ? " (up to the cap)"
				   : "");
		if (p->ewf_forced) {
			p->ewf_forced = false;
			mlog(m, LOG_NOTICE, "%s/%s: back to the VG's no-space behaviour.", p->vg,
			     p->lv);
		}
	}
	if (res->vg_short || res->capped) {
		/* took what there was: the next try waits, and fails loudly if still needed */
		retry_later(m, p);
	} else {
		if (p->state != PS_OK)
			set_state(m, p, PS_OK, LOG_NOTICE, "extending works again.");
		p->backoff_ms = 0;
		p->next_try = 0;
	}
}

/* The next extension, prepared while the pool is under its threshold (see core/policy/stage.c). A
 * stage that went stale (the VG changed) is dropped and made again; when there is nothing
 * to stage (the VG short, the cap near, policy off) the next try waits for a VG change. */
static void maybe_stage(struct mon *m, struct mpool *p)
{
	uint64_t now = now_ms();
	struct timespec ts;
	int r;

	if (m->o.no_stage || p->state != PS_OK || p->threshold >= 100)
		return;
	if (p->stage) {
		if (now - p->stage_checked < 1000)
			return;
		if (tb_pool_stage_fresh(p->stage)) {
			p->stage_checked = now;
			return;
		}
		mlog(m, LOG_DEBUG, "%s/%s: the VG changed; staging the next extension again.",
		     p->vg, p->lv);
		p->stage = tb_pool_stage_free(p->stage);
	}
	/* one stage per VG: every stage of a VG places its text at the same offset, after the
	 * committed copy, so a second one would overwrite the first */
	for (size_t i = 0; i < m->n; i++)
		if (&m->pools[i] != p && m->pools[i].stage && streq(m->pools[i].vg, p->vg))
			return;
	if (now < p->stage_next) {
		backup_mtime(m->ctx, p->vg, &ts);
		if (ts.tv_sec == p->stage_mtime.tv_sec && ts.tv_nsec == p->stage_mtime.tv_nsec)
			return;
	}
	r = tb_pool_stage_prepare(m->ctx, p->vg, p->lv, &p->stage);
	p->stage_checked = now_ms();
	if (r < 0)
		mlog(m, LOG_WARNING, "%s/%s: %s (extensions take the ordinary path).", p->vg, p->lv,
		     tb_ctx_errmsg(m->ctx));
	if (!p->stage) {
		p->stage_next = now + 30000;
		backup_mtime(m->ctx, p->vg, &p->stage_mtime);
	}
}

static void extend(struct mon *m, struct mpool *p, const struct dmk_thin_pool_status *st)
{
	struct precommit pc = { 0 };
	struct tb_ctx *ctx = m->ctx;
	struct tb_autoextend_result res = { 0 };
	struct tb_autoextend_err why = { 0 };
	struct tb_autoextend_limits lim = { .threshold = 100 };
	struct tb_cmd c = { 0 };
	struct tb_vg *vg = NULL;
	struct md_lv *pool;
	uint64_t t0 = now_ms();
	uint32_t seqno;
	int r;

	if (p->stage) {
		r = tb_pool_stage_apply(ctx, p->stage, st, &res);
		p->stage = tb_pool_stage_free(p->stage);
		if (r > 0) {
			extended(m, p, &res, t0, " (staged)");
			return;
		}
		if (r < 0)
			mlog(m, LOG_WARNING, "%s/%s: %s; trying the ordinary way.", p->vg, p->lv,
			     tb_ctx_errmsg(ctx));
		memset(&res, 0, sizeof(res));
	}
	/* the helper overlaps the pool's metadata commit with the ordinary path's VG read and
	 * commit; the staged path above has nothing to overlap it with, and there a second
	 * commit right before the suspend's own only added a flush (docs/benchmarks.md) */
	precommit_start(&pc, p->dm_name);
	if ((r = tb_cmd_begin(ctx, &c, "lvextend")) < 0)
		goto fail;
	c.defer_backup = true;
	if ((r = tb_vg_read(&c, p->vg, true, &vg)) < 0 || (r = tb_vg_check_writable(&c, vg)) < 0)
		goto fail;
	mlog(m, LOG_DEBUG, "%s/%s: locked and read in %" PRIu64 " ms", p->vg, p->lv, now_ms() - t0);
	pool = md_vg_find_lv(vg->md, p->lv);
	if (!pool || !md_lv_is_thin_pool(pool)) {
		m->want_rescan = true;
		r = tb_fail(ctx, -ENOENT, "the thin pool is no longer in VG %s", p->vg);
		goto fail;
	}
	if (tb_autoextend_limits(ctx, vg->md, pool, &lim) == 0)
		p->threshold = lim.threshold;
	seqno = vg->md->seqno;
	r = tb_pool_autoextend(&c, vg, pool, true, &res, &why);
	if (vg->md->seqno != seqno)
		tb_vg_backup(&c, vg); /* after the kernel step, under the lock */
	if (r == -ENOSPC) {
		bool cap = why.capped && !why.vg_short;
		set_state(m, p, cap ? PS_CAPPED : PS_NOSPACE, LOG_ERR,
			  "CANNOT EXTEND: %s. Data %s threshold %" PRId64 "%%. %s",
			  tb_ctx_errmsg(ctx), why.data_wanted ? "over" : "under", p->threshold,
			  cap ? "Raise activation/thin_pool_autoextend_max_size or free space in the pool."
			      : "Add space with vgextend; thinbox retries and resumes by itself.");
		if (lim.error_when_full)
			force_ewf(m, &c, vg, pool, p);
		retry_later(m, p);
		goto out;
	}
	if (r == -EIO) {
		set_state(m, p, PS_ERROR, LOG_ERR, "%s", tb_ctx_errmsg(ctx));
		retry_later(m, p);
		goto out;
	}
	if (r < 0)
		goto fail;
	extended(m, p, &res, t0, "");
	goto out;
fail:
	set_state(m, p, PS_ERROR, LOG_ERR, "extension failed: %s", tb_ctx_errmsg(ctx));
	retry_later(m, p);
out:
	precommit_join(&pc);
	tb_vg_free(vg);
	tb_cmd_end(&c);
}

static bool over(uint64_t used, uint64_t total, int64_t threshold)
{
	return tb_usage_at_or_over(used, total, md_threshold_clamp(threshold));
}

static void check_pool(struct mon *m, struct mpool *p)
{
	struct dmk_target *t = NULL;
	struct dmk_thin_pool_status st;
	size_t n = 0;
	int r;

	/* one loop is one public call: each pool pass starts with no message of an earlier one */
	tb_ctx_clear_error(m->ctx);
	if (tb_monitor_disabled(m->ctx, p->vg, p->lv)) {
		if (p->marked)
			tb_monitor_unmark(m->ctx, p->vg, p->lv);
		p->marked = false;
		set_state(m, p, PS_OFF, LOG_NOTICE,
			  "monitoring switched off (lvchange --monitor n).");
		return;
	}
	if (p->state == PS_OFF)
		set_state(m, p, PS_OK, LOG_NOTICE, "monitoring switched on.");
	if (p->need_lwm)
		fix_lwm(m, p);
	/* (re)mark: lvchange --monitor n removes the mark at once, y only deletes the .off;
	 * a single pass (--once) does not watch, so it marks nothing */
	if (!m->o.once && (!p->marked || !tb_monitor_watches(m->ctx, p->vg, p->lv))) {
		r = tb_monitor_mark(m->ctx, p->vg, p->lv, getpid());
		if (r < 0)
			mlog(m, LOG_WARNING, "%s/%s: cannot write the monitor state in %s: %s",
			     p->vg, p->lv, tb_run_dir(m->ctx), strerror(-r));
		p->marked = r == 0;
	}
	r = dmk_status(m->dmk, p->dm_name, DMK_NOFLUSH, &t, &n);
	if (r == 0 && (n != 1 || dmk_thin_pool_status_parse(t[0].params, &st) < 0))
		r = -EBADMSG;
	dmk_targets_free(t, n);
	if (r < 0) {
		if (r != -ENXIO)
			mlog(m, LOG_WARNING, "%s/%s: cannot read the status of %s: %s", p->vg,
			     p->lv, p->dm_name, strerror(-r));
		m->want_rescan |= r == -ENXIO;
		return;
	}
	if (st.fail || st.error) {
		set_state(m, p, PS_FAILED, LOG_ERR, "%s.", state_advice(PS_FAILED));
		return;
	}
	if (st.needs_check) {
		set_state(m, p, PS_NEEDS_CHECK, LOG_ERR, "%s.", state_advice(PS_NEEDS_CHECK));
		return;
	}
	if (st.mode == DMK_POOL_RO) {
		set_state(m, p, PS_RO, LOG_ERR, "%s.", state_advice(PS_RO));
		return;
	}
	if (p->state == PS_FAILED || p->state == PS_NEEDS_CHECK || p->state == PS_RO)
		set_state(m, p, PS_OK, LOG_NOTICE, "healthy again; watching it.");
	if (!p->outside_noted && st.transaction_id != p->vg_tid) {
		p->outside_noted = true;
		mlog(m, LOG_INFO,
		     "%s/%s: kernel transaction id %" PRIu64 " differs from the VG's %" PRIu64
		     ": another program (Docker?) manages its thin devices; thinbox only "
		     "extends it.",
		     p->vg, p->lv, st.transaction_id, p->vg_tid);
	}
	if (st.mode == DMK_POOL_OUT_OF_DATA_SPACE && !p->oods_noted)
		mlog(m, LOG_WARNING, "%s/%s: out of data space; writes %s until it grows.", p->vg,
		     p->lv, st.error_if_no_space ? "fail with ENOSPC" : "wait");
	p->oods_noted = st.mode == DMK_POOL_OUT_OF_DATA_SPACE;
	if (p->threshold >= 100 ||
	    (!over(st.used_data_blocks, st.total_data_blocks, p->threshold) &&
	     !over(st.used_meta_blocks, st.total_meta_blocks, p->threshold))) {
		if (p->state == PS_NOSPACE || p->state == PS_CAPPED || p->state == PS_ERROR)
			set_state(m, p, PS_OK, LOG_NOTICE, "back under the threshold.");
		p->backoff_ms = 0;
		p->next_try = 0;
		maybe_stage(m, p);
		return;
	}
	if (p->next_try && now_ms() < p->next_try) {
		struct timespec ts;
		/* a vgextend (or any VG change) rewrites the backup: try again at once */
		backup_mtime(m->ctx, p->vg, &ts);
		if (ts.tv_sec == p->backup_mtime.tv_sec && ts.tv_nsec == p->backup_mtime.tv_nsec)
			return;
	}
	extend(m, p, &st);
}

/* ---------------------------------------------------------------- the loop */

/* --once: after the single pass, 0 when every pool checked is fine (under its threshold,
 * extended, or switched off), else -EIO naming the pools left needing attention (the pass
 * logged why). */
static int once_result(struct mon *m)
{
	char names[1024] = "";
	size_t len = 0, bad = 0;

	for (size_t i = 0; i < m->n; i++) {
		const struct mpool *p = &m->pools[i];
		if (p->state == PS_OK || p->state == PS_OFF)
			continue;
		bad++;
		if (len < sizeof(names))
			len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s/%s",
						len ? ", " : "", p->vg, p->lv);
	}
	if (!m->n)
		mlog(m, LOG_NOTICE, "No active thin pool to check.");
	if (bad)
		return tb_fail(m->ctx, -EIO, "%zu thin pool(s) need attention (see above): %s", bad,
			       names);
	mlog(m, LOG_NOTICE, "%zu thin pool(s) checked.", m->n);
	return 0;
}

TB_EXPORT int tb_monitor_run(struct tb_ctx *ctx, const struct tb_monitor_opts *o)
{
	struct mon m = { .ctx = ctx };
	sigset_t mask, old;
	int sfd = -1, cfd, r;
	bool armed_ok = true;

	tb_ctx_clear_error(ctx);
	if (o)
		m.o = *o;
	if (!m.o.interval_ms)
		m.o.interval_ms = 2000;
	if (!m.o.retry_max_ms)
		m.o.retry_max_ms = 30000;
	if (!m.o.rescan_ms)
		m.o.rescan_ms = 10000;
	if (m.o.once)
		m.o.no_stage = true; /* a stage is for the next pass: there is none */
	if ((r = tb_ctx_dmk(ctx, &m.dmk)) < 0)
		return r;
	if ((cfd = dmk_control_fd(m.dmk)) < 0)
		return tb_fail(ctx, cfd, "Cannot open /dev/mapper/control: %s", strerror(-cfd));
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, &old) < 0)
		return tb_fail(ctx, -errno, "Cannot block signals: %m");
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		r = tb_fail(ctx, -errno, "Cannot make a signalfd: %m");
		goto out;
	}
	if (m.o.once)
		mlog(&m, LOG_NOTICE, "thinbox monitor %s: one pass (pid %d).", tb_version(),
		     (int)getpid());
	else
		mlog(&m, LOG_NOTICE, "thinbox monitor %s started (pid %d, interval %u ms).",
		     tb_version(), (int)getpid(), m.o.interval_ms);
	rescan(&m);
	for (size_t i = 0; i < m.n; i++)
		check_pool(&m, &m.pools[i]);
	if (m.o.once) {
		r = once_result(&m);
		goto out;
	}
	if (m.o.ready)
		m.o.ready(m.o.userdata);
	for (;;) {
		struct pollfd pfd[2] = { { .fd = cfd, .events = POLLIN },
					 { .fd = sfd, .events = POLLIN } };
		uint64_t now;
		int timeout;

		/* nothing borrows from an older lvm.conf between two passes: drop the versions an
		 * edit of the file left, so a daemon's memory does not grow with each edit */
		tb_lvm_conf_drop_old(ctx);
		/* arm first: an event after this point wakes the poll below */
		if (armed_ok && (r = dmk_arm_poll(m.dmk)) < 0) {
			armed_ok = false;
			mlog(&m, LOG_WARNING,
			     "Device-mapper event polling unavailable (%s): checking "
			     "every %u ms only.",
			     strerror(-r), m.o.interval_ms);
		}
		for (size_t i = 0; i < m.n; i++)
			check_pool(&m, &m.pools[i]);
		sweep(&m);
		now = now_ms();
		if (m.want_rescan && now - m.last_rescan >= 1000)
			rescan(&m);
		else if (now - m.last_rescan >= m.o.rescan_ms)
			rescan(&m);
		timeout = (int)m.o.interval_ms;
		if (m.want_rescan)
			timeout = MIN(timeout, 1000);
		for (size_t i = 0; i < m.n; i++)
			if (m.pools[i].next_try > now)
				timeout = MIN(timeout, (int)(m.pools[i].next_try - now));
		if (!armed_ok)
			pfd[0].fd = -1; /* no events: the interval only */
		r = poll(pfd, 2, timeout);
		if (r < 0 && errno != EINTR) {
			r = tb_fail(ctx, -errno, "poll: %m");
			goto out;
		}
		if (pfd[1].revents & POLLIN) {
			struct signalfd_siginfo si;
			bool stop = false;
			while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGHUP) {
					mlog(&m, LOG_NOTICE, "SIGHUP: reloading the configuration.");
					m.want_rescan = true;
					m.last_rescan = 0;
					for (size_t i = 0; i < m.n; i++) {
						struct mpool *p = &m.pools[i];
						p->next_try = 0;
						p->stage = tb_pool_stage_free(p->stage);
						p->stage_next = 0;
					}
				} else {
					stop = true;
				}
			}
			if (stop)
				break;
			if (m.want_rescan)
				rescan(&m);
		}
	}
	mlog(&m, LOG_NOTICE, "thinbox monitor stopping: %zu pool(s) no longer watched.", m.n);
	r = 0;
out:
	for (size_t i = 0; i < m.n; i++) {
		if (m.pools[i].marked)
			tb_monitor_unmark(ctx, m.pools[i].vg, m.pools[i].lv);
		tb_pool_stage_free(m.pools[i].stage);
	}
	free(m.pools);
	ignored_clear(&m);
	if (sfd >= 0)
		close(sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return r;
}

/* ---------------------------------------------------------------- daemon helpers */

TB_EXPORT int tb_monitor_default_pidfile(const struct tb_ctx *ctx, char *buf, size_t len)
{
	tb_monitor_pidfile(ctx, buf, len);
	return 0;
}

TB_EXPORT int tb_monitor_daemon_pid(const struct tb_ctx *ctx, const char *pidfile)
{
	return (int)tb_monitor_running(ctx, pidfile);
}

void tb_monitor_autostart(struct tb_ctx *ctx)
{
	const char *skip = secure_getenv("THINBOX_NO_MONITOR_START");
	pid_t pid, w;
	int status = 0, r;

	if ((skip && streq(skip, "1")) || !tb_monitoring_enabled(ctx) ||
	    tb_monitor_running(ctx, NULL))
		return;
	if (ctx->monitor_start_fn) {
		/* the embedding program starts its own monitor (tb_ctx_set_monitor_start_fn) */
		r = ctx->monitor_start_fn(ctx->monitor_start_data, ctx);
		if (r < 0)
			tb_warn(ctx,
				"WARNING: cannot start thinbox monitor: %s; pools are not "
				"autoextended.",
				strerror(-r));
		return;
	}
	pid = fork();
	if (pid < 0) {
		tb_warn(ctx, "WARNING: cannot start thinbox monitor: %m");
		return;
	}
	if (pid == 0) {
		const char *logf = secure_getenv("THINBOX_MONITOR_LOG");
		int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (logf && *logf) {
			int lf = open(logf, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
			if (lf >= 0)
				dup2(lf, 2);
		}
		for (int i = 3; i < 1024; i++)
			close(i);
		/* never /proc/self/exe: in an embedding program that is the host program */
		execl(ctx->monitor_path, "thinbox", "monitor", "--daemon", (char *)NULL);
		_exit(127);
	}
	/* `monitor --daemon` returns once the daemon watches its pools */
	while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (w < 0)
		tb_warn(ctx, "WARNING: cannot wait for thinbox monitor (%s): %m", ctx->monitor_path);
	else if (!WIFEXITED(status) || (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 4))
		tb_warn(ctx, "WARNING: thinbox monitor did not start; pools are not autoextended. "
			     "Run 'thinbox monitor --daemon' or check syslog.");
	else
		tb_info(ctx, "Started thinbox monitor.");
}
