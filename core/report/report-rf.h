/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The lvm2 report fields beyond the named ones of struct tb_lv_row / tb_vg_row / tb_pv_row:
 * built per row as a struct tb_rfield list (core/report/report-rf.c). */
#pragma once

#include "core/activate/activate.h"
#include "core/store/store.h"

/* Which fields a report reads (tb_report_lvs_want): NULL @fn, or no tb_rf_want, is all. The
 * answers are cached by the id's address (every id is a string literal). Besides field ids,
 * @fn is asked "_segments": does the report read segment rows at all (false: tb_lv_row has
 * no segment sets). */
struct tb_rf_want {
	bool (*fn)(void *ud, const char *id);
	void *ud;
	const char **keys;
	bool *vals;
	size_t cap;
};
void tb_rf_want_release(struct tb_rf_want *w);

struct tb_rf_set {
	struct tb_rfield *f;
	size_t n, cap;
	char **owned;
	size_t n_owned, cap_owned;
	bool failed;
	struct tb_rf_want *want; /* borrowed; NULL: every field */
	struct tb_rfield sink;   /* written in place of a field not kept; never read */
};
void tb_rf_release(struct tb_rf_set *s);
/* Empty @s for the next row, keeping its arrays (one set serves every row of a report). */
void tb_rf_clear(struct tb_rf_set *s);
/* The segment sets of one LV, kept from row to row (tb_rf_lv_fields reuses them). */
struct tb_rf_segs {
	struct tb_rf_set *v;
	size_t n, cap;
};
void tb_rf_segs_release(struct tb_rf_segs *segs);
/* Does the set keep field @id? (The builders skip the work of the fields it does not.) */
bool tb_rf_wanted(struct tb_rf_set *s, const char *id);
/* lvm2 2.03.16 is_lockd_type: a lock type lvmlockd manages (sanlock, dlm, idm): a shared VG
 * (vg_shared, vg_attr's 's'). */
bool tb_rf_lock_type_is_lockd(const char *t);

/* What a report knows of one metadata area (for the *_mda_* fields). */
struct tb_rf_mda {
	uint64_t size;      /* bytes, from the PV header */
	uint64_t text_size; /* bytes of the committed text, NUL included; 0 none */
	bool ignored;       /* metadataignore: not in use (lvm2 counts its free space as 0) */
};

/* @pv_paths: parallel to @vg->pvs, the device path of each PV (NULL when missing).
 * Fills @out (cleared first) and one set per segment into @segs (segs->n of them, each
 * cleared first and given @out's want); the caller releases both when done with its rows. */
int tb_rf_lv_fields(const struct md_vg *vg, const struct md_lv *lv, const struct tb_lv_state *st,
		    const char *const *pv_paths, bool monitored, struct tb_rf_set *out,
		    struct tb_rf_segs *segs);
int tb_rf_vg_fields(const struct md_vg *vg, const struct tb_rf_mda *mdas, size_t n_mdas,
		    struct tb_rf_set *out);
/* @pv NULL for an orphan PV. The PV segment sets borrow strings owned by @out: release them
 * before or with it. */
int tb_rf_pv_fields(const struct md_vg *vg, const struct md_pv *pv, const struct tb_pvdev *d,
		    const struct tb_rf_mda *mdas, size_t n_mdas, struct tb_rf_set *out,
		    struct tb_rf_set **ret_pvsegs, size_t *ret_n);
/* lvm2's free space of one mda (_mda_free_sectors_raw), in sectors. */
uint64_t tb_rf_mda_free_sectors(const struct tb_rf_mda *m);
