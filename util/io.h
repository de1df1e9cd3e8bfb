/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Small file-descriptor helpers shared by core/ (hints, backups). */
#pragma once

#include <stddef.h>

/* Write all @len bytes of @buf to @fd, retrying short writes and EINTR. 0 or -errno. */
int fd_write_all(int fd, const void *buf, size_t len);
