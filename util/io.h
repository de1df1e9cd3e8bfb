/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Small file-descriptor helpers shared by core/ (hints, backups). */
#pragma once

#include <stddef.h>
#include <sys/uio.h>

/* Write all @len bytes of @buf to @fd, retrying short writes and EINTR. 0 or -errno. */
int fd_write_all(int fd, const void *buf, size_t len);
/* Write the @n buffers of @iov in order, all of each (writev, again after a short write or
 * EINTR; @iov is consumed). 0 or -errno. */
int fd_writev_all(int fd, struct iovec *iov, int n);
