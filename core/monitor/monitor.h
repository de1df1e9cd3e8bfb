/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* core/monitor/: the autoextend monitor (monitor.c); its run-dir state is monitor-state.h. */
#pragma once

#include "core/ctx-internal.h"

/* Start `thinbox monitor --daemon` when activation/monitoring is on, $THINBOX_NO_MONITOR_START
 * is not "1" and no default monitor runs. Call with no lock held. Never fails the caller. */
void tb_monitor_autostart(struct tb_ctx *ctx);
