/* Test helper for tests/integration/locks.sh: drives core/lock, core/hints and core/backup from a
 * shell so that real lvm2 commands can be run against what thinbox holds or writes.
 *
 *   tb-lock-helper lock DIR TIMEOUT_MS SPEC...   SPEC = global:ex|global:sh|<vg>:ex|<vg>:sh
 *       takes the locks in the order given, prints "locked" (or the error and exits 1), then
 *       holds them until stdin reaches EOF, releases them and prints "released".
 *   tb-lock-helper hints DIR CMDNAME              tb_hints_invalidate()
 *   tb-lock-helper backup BACKUPDIR ARCHIVEDIR|- VG BODYFILE CMDLINE   tb_backup_write()
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/store/backup.h"
#include "core/store/hints.h"
#include "core/store/lock.h"

static int do_lock(int argc, char **argv)
{
	struct tb_lockset ls;
	int r = tb_lockset_init(&ls, argv[2], atoi(argv[3]));
	if (r < 0) {
		fprintf(stderr, "init: %s\n", strerror(-r));
		return 1;
	}
	for (int i = 4; i < argc; i++) {
		char *spec = argv[i], *colon = strrchr(spec, ':');
		if (!colon) {
			fprintf(stderr, "bad spec %s\n", spec);
			return 2;
		}
		*colon = '\0';
		bool ex = strcmp(colon + 1, "ex") == 0;
		r = strcmp(spec, "global") == 0 ? tb_lock_global(&ls, ex) : tb_lock_vg(&ls, spec, ex);
		if (r < 0) {
			printf("error %d: %s\n", -r, ls.errmsg);
			fflush(stdout);
			tb_lockset_release(&ls);
			return 1;
		}
	}
	printf("locked\n");
	fflush(stdout);
	char buf[64];
	while (read(0, buf, sizeof(buf)) > 0)
		;
	tb_lockset_release(&ls);
	printf("released\n");
	return 0;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	size_t cap = 1 << 20;
	char *b = calloc(1, cap);
	size_t n = b ? fread(b, 1, cap - 1, f) : 0;
	fclose(f);
	if (b)
		b[n] = '\0';
	return b;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && strcmp(argv[1], "lock") == 0)
		return do_lock(argc, argv);
	if (argc == 4 && strcmp(argv[1], "hints") == 0) {
		int r = tb_hints_invalidate(argv[2], argv[3], NULL);
		if (r < 0)
			fprintf(stderr, "hints: %s\n", strerror(-r));
		return r < 0;
	}
	if (argc == 7 && strcmp(argv[1], "backup") == 0) {
		char *body = slurp(argv[5]);
		if (!body) {
			perror(argv[5]);
			return 1;
		}
		int r = tb_backup_write(argv[2], strcmp(argv[3], "-") ? argv[3] : NULL, argv[4], body,
					argv[6]);
		free(body);
		if (r < 0)
			fprintf(stderr, "backup: %s\n", strerror(-r));
		return r < 0;
	}
	fprintf(stderr, "usage: see the comment at the top of tests/integration/tb-lock-helper.c\n");
	return 2;
}
