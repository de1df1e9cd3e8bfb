/* Unit tests: core/lock (lvm2-compatible flock locks) and core/hints (lvm2 hints invalidation).
 * Other lock holders are child processes (flock locks belong to open file descriptions, so a
 * second holder in another process is what lvm2 would be). Children are driven through pipes;
 * where the parent must wait for a child to block inside flock(), it polls /proc/locks until
 * the kernel lists the child's blocked request (bounded to ten seconds), so no assertion
 * depends on a sleep having been long enough. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/store/hints.h"
#include "core/store/lock.h"

struct fixture {
	char dir[64];
};

static char *path_in(const char *dir, const char *name)
{
	static char buf[4][512];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

static bool exists(const char *dir, const char *name)
{
	struct stat st;
	return stat(path_in(dir, name), &st) == 0;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/tb-lock-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	DIR *d = opendir(f->dir);
	struct dirent *de;
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.' || (de->d_name[1] && de->d_name[1] != '.'))
			unlink(path_in(f->dir, de->d_name));
	if (d)
		closedir(d);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Probe from a fresh open file description, like another process would: 0 if @op|LOCK_NB
 * could be taken (and is released again), -EWOULDBLOCK if not. Does not create the file. */
static int probe(const char *dir, const char *name, int op)
{
	int fd = open(path_in(dir, name), O_RDWR);
	if (fd < 0)
		return -errno;
	int r = flock(fd, op | LOCK_NB) < 0 ? -errno : 0;
	close(fd);
	return r;
}

/* ---- child processes ---- */

struct child {
	pid_t pid;
	int ready; /* child -> parent: one byte after each step */
	int go;	   /* parent -> child: one byte to proceed */
};

enum child_kind {
	CHILD_TB_VG,	 /* tb_lock_vg(arg, exclusive), report, wait, release */
	CHILD_TB_GLOBAL, /* tb_lock_global(exclusive), report, wait, release */
	CHILD_RAW,	 /* open+flock(arg) without protocol, report, wait, then unlink+close */
};

static struct child spawn(enum child_kind kind, const char *dir, const char *arg, bool exclusive)
{
	int up[2], down[2];
	assert_int_equal(pipe(up), 0);
	assert_int_equal(pipe(down), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char c = 'r', x;
		int rc = 0;
		close(up[0]);
		close(down[1]);
		/* Drop the parent's lock fds: an inherited open file description would keep the
		 * parent's flock alive after the parent releases it. */
		for (int fd = 3; fd < 1024; fd++)
			if (fd != up[1] && fd != down[0])
				close(fd);
		if (kind == CHILD_RAW) {
			int fd = open(path_in(dir, arg), O_CREAT | O_RDWR, 0666);
			if (fd < 0 || flock(fd, exclusive ? LOCK_EX : LOCK_SH) < 0)
				_exit(2);
			if (write(up[1], &c, 1) != 1 || read(down[0], &x, 1) != 1)
				_exit(3);
			/* what lvm2's unlocker does when it wins the race: unlink, then close */
			if (x == 'u')
				unlink(path_in(dir, arg));
			close(fd);
			_exit(0);
		}
		struct tb_lockset ls;
		if (tb_lockset_init(&ls, dir, TB_LOCK_WAIT_FOREVER) < 0)
			_exit(2);
		rc = kind == CHILD_TB_VG ? tb_lock_vg(&ls, arg, exclusive)
					 : tb_lock_global(&ls, exclusive);
		c = rc == 0 ? 'r' : 'f';
		if (write(up[1], &c, 1) != 1 || read(down[0], &x, 1) != 1)
			_exit(3);
		tb_lockset_release(&ls);
		c = 'd';
		if (write(up[1], &c, 1) != 1)
			_exit(3);
		_exit(rc == 0 ? 0 : 4);
	}
	close(up[1]);
	close(down[0]);
	return (struct child){ .pid = pid, .ready = up[0], .go = down[1] };
}

static char child_wait_step(struct child *c)
{
	char x = 0;
	assert_int_equal(read(c->ready, &x, 1), 1);
	return x;
}

static void child_go(struct child *c, char cmd)
{
	assert_int_equal(write(c->go, &cmd, 1), 1);
}

static void child_reap(struct child *c)
{
	int st;
	assert_int_equal(waitpid(c->pid, &st, 0), c->pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	close(c->ready);
	close(c->go);
}

/* Finish a CHILD_TB_* child: let it release and exit. */
static void child_finish(struct child *c)
{
	child_go(c, 'g');
	assert_int_equal(child_wait_step(c), 'd');
	child_reap(c);
}

static void msleep(int ms)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = ms * 1000000L };
	nanosleep(&ts, NULL);
}

/* Is @pid waiting for a flock()? /proc/locks lists each blocked request after its blocker as
 * "N: -> FLOCK  ADVISORY  WRITE PID MAJ:MIN:INODE 0 EOF" (fs/locks.c lock_get_status). */
static bool blocked_in_flock(pid_t pid)
{
	FILE *fp = fopen("/proc/locks", "re");
	char line[256];
	bool found = false;

	if (!fp)
		fail_msg("cannot read /proc/locks: %s", strerror(errno));
	while (!found && fgets(line, sizeof(line), fp)) {
		char kind[16];
		int p = 0;
		const char *arrow = strstr(line, ": -> ");
		if (arrow && sscanf(arrow + 5, "%15s %*s %*s %d", kind, &p) == 2)
			found = strcmp(kind, "FLOCK") == 0 && p == (int)pid;
	}
	fclose(fp);
	return found;
}

/* Wait until @pid is blocked inside flock() (a bounded poll of /proc/locks: the kernel says
 * so, no guess that some time was enough). Nothing the test asserts afterwards depends on
 * timing: the child stays blocked until the parent releases what it waits for. */
static void wait_child_blocked(pid_t pid)
{
	for (int tries = 0; tries < 10000; tries++) {
		if (blocked_in_flock(pid))
			return;
		msleep(1);
	}
	fail_msg("child %d never blocked in flock() (/proc/locks)", (int)pid);
}

/* Has the child written a step byte not read yet? (It has not while it is blocked.) */
static bool child_has_step(struct child *c)
{
	struct pollfd pfd = { .fd = c->ready, .events = POLLIN };
	return poll(&pfd, 1, 0) == 1;
}

/* ---- tests ---- */

static void test_init_dir(void **state)
{
	struct fixture *f = *state;
	struct tb_lockset ls;

	setenv(TB_LOCK_DIR_ENV, f->dir, 1);
	assert_int_equal(tb_lockset_init(&ls, NULL, TB_LOCK_NOWAIT), 0);
	assert_string_equal(ls.dir, f->dir);
	tb_lockset_release(&ls);
	unsetenv(TB_LOCK_DIR_ENV);
	assert_int_equal(tb_lockset_init(&ls, NULL, TB_LOCK_NOWAIT), 0);
	assert_string_equal(ls.dir, TB_LOCK_DIR_DEFAULT);
	tb_lockset_release(&ls);
	tb_lockset_release(&ls); /* twice is harmless */
	assert_int_equal(tb_lockset_init(&ls, "", 0), -EINVAL);
	assert_int_equal(tb_lockset_init(&ls, f->dir, -2), -EINVAL);

	/* a missing directory is created 0700 */
	char sub[128];
	snprintf(sub, sizeof(sub), "%s/sub", f->dir);
	assert_int_equal(tb_lockset_init(&ls, sub, TB_LOCK_NOWAIT), 0);
	assert_int_equal(tb_lock_global(&ls, true), 0);
	struct stat st;
	assert_int_equal(stat(sub, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	tb_lockset_release(&ls);
	assert_int_equal(rmdir(sub), 0); /* and it is empty again: files were deleted */
}

static void test_order(void **state)
{
	struct fixture *f = *state;
	struct tb_lockset ls;

	assert_int_equal(tb_lockset_init(&ls, f->dir, TB_LOCK_NOWAIT), 0);
	/* P_global after a V_* lock breaks lvm2's order */
	assert_int_equal(tb_lock_vg(&ls, "vg1", false), 0);
	assert_int_equal(tb_lock_global(&ls, false), -EDEADLK);
	assert_non_null(strstr(ls.errmsg, "P_global first"));
	/* V_* in strcmp order */
	assert_int_equal(tb_lock_vg(&ls, "vg2", true), 0);
	assert_int_equal(tb_lock_vg(&ls, "vg0", true), -EDEADLK);
	assert_non_null(strstr(ls.errmsg, "name order"));
	assert_int_equal(tb_lock_vg(&ls, "vg1", false), 0); /* already held: no-op */
	assert_int_equal(tb_lock_vg(&ls, "vg2", false), 0); /* EX held covers SH */
	assert_int_equal(tb_lock_vg(&ls, "vg1", true), -EDEADLK); /* no upgrade */
	assert_true(tb_lockset_has_vg(&ls, "vg2", true));
	assert_false(tb_lockset_has_vg(&ls, "vg1", true));
	assert_true(tb_lockset_has_vg(&ls, "vg1", false));
	/* unlocking one allows nothing out of order still held */
	assert_int_equal(tb_unlock_vg(&ls, "vg2"), 0);
	assert_int_equal(tb_unlock_vg(&ls, "vg2"), -ENOENT);
	assert_int_equal(tb_lock_vg(&ls, "vg0", true), -EDEADLK); /* vg1 still held */
	assert_int_equal(tb_unlock_vg(&ls, "vg1"), 0);
	/* nothing held now: global is allowed again */
	assert_int_equal(tb_lock_global(&ls, false), 0);
	assert_int_equal(tb_lock_global(&ls, true), -EDEADLK); /* no upgrade */
	assert_int_equal(tb_lock_vg(&ls, "b", false), 0);
	assert_int_equal(tb_lock_vg(&ls, "a", false), -EDEADLK); /* global only shared */
	tb_lockset_release(&ls);

	/* with P_global exclusive, any VG order is fine (lvm2 rule) */
	assert_int_equal(tb_lockset_init(&ls, f->dir, TB_LOCK_NOWAIT), 0);
	assert_int_equal(tb_lock_global(&ls, true), 0);
	assert_true(tb_lockset_has_global(&ls, true));
	assert_int_equal(tb_lock_vg(&ls, "b", true), 0);
	assert_int_equal(tb_lock_vg(&ls, "a", true), 0);
	assert_int_equal(tb_lock_global(&ls, true), -EDEADLK); /* V_* held */
	tb_lockset_release(&ls);
	assert_false(tb_lockset_has_global(&ls, false));
}

static void test_names(void **state)
{
	struct fixture *f = *state;
	struct tb_lockset ls;

	assert_int_equal(tb_lockset_init(&ls, f->dir, TB_LOCK_NOWAIT), 0);
	assert_int_equal(tb_lock_vg(&ls, "", true), -EINVAL);
	assert_int_equal(tb_lock_vg(&ls, "a/b", true), -EINVAL);
	assert_int_equal(tb_lock_vg(&ls, "..", true), -EINVAL);
	assert_int_equal(tb_lock_vg(&ls, "-x", true), -EINVAL);
	assert_int_equal(tb_lock_vg(&ls, "#global", true), -EINVAL);
	/* lvm2 2.03 has no orphan locks: no file, nothing held */
	assert_int_equal(tb_lock_vg(&ls, "#orphans", true), 0);
	assert_false(exists(f->dir, "V_#orphans"));
	assert_false(tb_lockset_has_vg(&ls, "#orphans", false));
	assert_int_equal(tb_lock_vg(&ls, "my_vg.1+x-y", true), 0);
	assert_true(exists(f->dir, "V_my_vg.1+x-y"));
	tb_lockset_release(&ls);
}

static void test_files_removed(void **state)
{
	struct fixture *f = *state;
	struct tb_lockset ls;

	assert_int_equal(tb_lockset_init(&ls, f->dir, TB_LOCK_NOWAIT), 0);
	assert_int_equal(tb_lock_global(&ls, true), 0);
	assert_int_equal(tb_lock_vg(&ls, "docker", true), 0);
	assert_true(exists(f->dir, "P_global"));
	assert_true(exists(f->dir, "V_docker"));
	/* the :aux files are released and deleted once the main lock is held */
	assert_false(exists(f->dir, "P_global:aux"));
	assert_false(exists(f->dir, "V_docker:aux"));
	/* and they are really held */
	assert_int_equal(probe(f->dir, "P_global", LOCK_SH), -EWOULDBLOCK);
	assert_int_equal(probe(f->dir, "V_docker", LOCK_SH), -EWOULDBLOCK);
	struct stat st;
	assert_int_equal(stat(path_in(f->dir, "V_docker"), &st), 0);
	assert_true(S_ISREG(st.st_mode));
	tb_lockset_release(&ls);
	assert_false(exists(f->dir, "P_global"));
	assert_false(exists(f->dir, "V_docker"));

	/* shared: the same */
	assert_int_equal(tb_lockset_init(&ls, f->dir, TB_LOCK_NOWAIT), 0);
	assert_int_equal(tb_lock_vg(&ls, "docker", false), 0);
	assert_false(exists(f->dir, "V_docker:aux"));
	assert_int_equal(probe(f->dir, "V_docker", LOCK_SH), 0);
	assert_int_equal(probe(f->dir, "V_docker", LOCK_EX), -EWOULDBLOCK);
	tb_lockset_release(&ls);
	assert_false(exists(f->dir, "V_docker"));
}

static void test_shared_exclusive(void **state)
{
	struct fixture *f = *state;
	struct tb_lockset ls;

	/* another process holds V_docker shared */
	struct child c = spawn(CHILD_TB_VG, f->dir, "docker", false);
	assert_int_equal(child_wait_step(&c), 'r');
	assert_int_equal(tb_lockset_init(&ls, f->dir, TB_LOCK_NOWAIT), 0);
	assert_int_equal(tb_lock_vg(&ls, "docker", true), -EAGAIN);
	assert_string_equal(ls.errmsg, "Another command holds the lock on VG docker (V_docker); "
				       "retry when it finishes");
	assert_false(tb_lockset_has_vg(&ls, "docker", false));
	assert_int_equal(tb_lock_vg(&ls, "docker", false), 0); /* SH + SH */
	/* we release first: the other reader still holds it, so the file must stay */
	assert_int_equal(tb_unlock_vg(&ls, "docker"), 0);
	assert_true(exists(f->dir, "V_docker"));
	child_finish(&c);
	assert_false(exists(f->dir, "V_docker"));

	/* another process holds it exclusively: both modes fail, bounded wait times out */
	c = spawn(CHILD_TB_VG, f->dir, "docker", true);
	assert_int_equal(child_wait_step(&c), 'r');
	assert_int_equal(tb_lock_vg(&ls, "docker", false), -EAGAIN);
	assert_int_equal(tb_lock_vg(&ls, "docker", true), -EAGAIN);
	tb_lockset_release(&ls);
	assert_int_equal(tb_lockset_init(&ls, f->dir, 30), 0);
	assert_int_equal(tb_lock_vg(&ls, "docker", false), -ETIMEDOUT);
	assert_non_null(strstr(ls.errmsg, "(V_docker); retry when it finishes"));
	child_finish(&c);
	assert_int_equal(tb_lock_vg(&ls, "docker", true), 0);
	tb_lockset_release(&ls);

	/* global lock, same story */
	c = spawn(CHILD_TB_GLOBAL, f->dir, NULL, true);
	assert_int_equal(child_wait_step(&c), 'r');
	assert_int_equal(tb_lockset_init(&ls, f->dir, TB_LOCK_NOWAIT), 0);
	assert_int_equal(tb_lock_global(&ls, false), -EAGAIN);
	assert_string_equal(ls.errmsg,
			    "Another command holds the global lock (P_global); retry when it finishes");
	/* a failed attempt leaves nothing held, and a VG lock is still allowed afterwards */
	assert_int_equal(tb_lock_vg(&ls, "vg", true), 0);
	tb_lockset_release(&ls);
	child_finish(&c);
	assert_false(exists(f->dir, "P_global"));
}

/* A blocking waiter gets the lock when the holder releases. */
static void test_blocking_wait(void **state)
{
	struct fixture *f = *state;
	struct tb_lockset ls;

	assert_int_equal(tb_lockset_init(&ls, f->dir, TB_LOCK_NOWAIT), 0);
	assert_int_equal(tb_lock_vg(&ls, "docker", true), 0);
	struct child c = spawn(CHILD_TB_VG, f->dir, "docker", true);
	wait_child_blocked(c.pid);
	assert_false(child_has_step(&c)); /* blocked: it has not got the lock */
	tb_lockset_release(&ls);
	assert_int_equal(child_wait_step(&c), 'r');
	assert_int_equal(probe(f->dir, "V_docker", LOCK_SH), -EWOULDBLOCK);
	child_finish(&c);
	assert_false(exists(f->dir, "V_docker"));
}

/* The :aux protocol: every request goes through <file>:aux EX; a writer waiting for the main lock
 * holds :aux, which keeps new readers out (write priority). */
static void test_aux_protocol(void **state)
{
	struct fixture *f = *state;
	struct tb_lockset ls;

	/* someone holds V_docker:aux (as lvm2 does while acquiring): even a shared request, with
	 * V_docker itself free, must wait */
	struct child raw = spawn(CHILD_RAW, f->dir, "V_docker:aux", true);
	assert_int_equal(child_wait_step(&raw), 'r');
	assert_int_equal(tb_lockset_init(&ls, f->dir, TB_LOCK_NOWAIT), 0);
	assert_int_equal(tb_lock_vg(&ls, "docker", false), -EAGAIN);
	assert_int_equal(tb_lock_vg(&ls, "docker", true), -EAGAIN);
	child_go(&raw, 'k');
	child_reap(&raw);
	assert_int_equal(tb_lock_vg(&ls, "docker", false), 0);
	tb_lockset_release(&ls);

	/* write priority: reader R holds SH; writer W waits for EX holding :aux; a new reader is
	 * refused although SH+SH would be compatible */
	struct child r = spawn(CHILD_TB_VG, f->dir, "docker", false);
	assert_int_equal(child_wait_step(&r), 'r');
	struct child w = spawn(CHILD_TB_VG, f->dir, "docker", true);
	wait_child_blocked(w.pid); /* on V_docker, holding V_docker:aux */
	assert_int_equal(probe(f->dir, "V_docker:aux", LOCK_EX), -EWOULDBLOCK);
	assert_int_equal(tb_lockset_init(&ls, f->dir, TB_LOCK_NOWAIT), 0);
	assert_int_equal(tb_lock_vg(&ls, "docker", false), -EAGAIN);
	child_finish(&r);
	assert_int_equal(child_wait_step(&w), 'r'); /* the writer got it */
	assert_false(exists(f->dir, "V_docker:aux"));
	assert_int_equal(tb_lock_vg(&ls, "docker", false), -EAGAIN);
	child_finish(&w);
	assert_int_equal(tb_lock_vg(&ls, "docker", false), 0);
	tb_lockset_release(&ls);
	assert_false(exists(f->dir, "V_docker"));
}

/* A lock file unlinked between our open() and flock() must not count: re-check the inode and
 * retry on the new file. */
static void test_unlinked_recheck(void **state)
{
	struct fixture *f = *state;

	/* H holds V_docker (raw); W (thinbox) opens it and blocks in flock; H then unlinks and
	 * closes, as lvm2's unlocker does. W's flock succeeds on the dead inode, so W must notice
	 * and lock a fresh file at the path. */
	struct child h = spawn(CHILD_RAW, f->dir, "V_docker", true);
	assert_int_equal(child_wait_step(&h), 'r');
	struct child w = spawn(CHILD_TB_VG, f->dir, "docker", true);
	wait_child_blocked(w.pid); /* in flock() on the V_docker that H holds */
	assert_false(child_has_step(&w));
	child_go(&h, 'u');
	child_reap(&h);
	assert_int_equal(child_wait_step(&w), 'r');
	/* W's lock is on a file at the path, where everyone else will look (without the re-check
	 * W would hold the dead inode and there would be no file at all). Inode numbers are not
	 * compared: tmpfs reuses the freed one. */
	assert_true(exists(f->dir, "V_docker"));
	assert_int_equal(probe(f->dir, "V_docker", LOCK_SH), -EWOULDBLOCK);
	child_finish(&w);
	assert_false(exists(f->dir, "V_docker"));
}

/* ---- hints ---- */

static char *slurp(const char *path)
{
	static char buf[4096];
	FILE *fp = fopen(path, "r");
	if (!fp)
		return NULL;
	size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static void test_hints(void **state)
{
	struct fixture *f = *state;
	int fd = 42;

	/* missing directory: nothing to do */
	char none[128];
	snprintf(none, sizeof(none), "%s/none", f->dir);
	assert_int_equal(tb_hints_invalidate(none, "pvcreate", &fd), 0);
	assert_int_equal(fd, -1);
	assert_false(exists(f->dir, "none"));

	/* existing hints are emptied, newhints created, nohints gone */
	FILE *fp = fopen(path_in(f->dir, "hints"), "w");
	assert_non_null(fp);
	fputs("hints_version: 2.2\nscan: /dev/loop0\n", fp);
	fclose(fp);
	assert_int_equal(tb_hints_invalidate(f->dir, "pvcreate", &fd), 0);
	assert_true(fd >= 0);
	char *h = slurp(path_in(f->dir, "hints"));
	assert_non_null(h);
	char want[64];
	snprintf(want, sizeof(want), "# Created empty by pvcreate pid %d ", (int)getpid());
	assert_memory_equal(h, want, strlen(want));
	assert_non_null(strchr(h, '\n'));
	assert_null(strstr(h, "scan:"));
	assert_true(exists(f->dir, "newhints"));
	assert_false(exists(f->dir, "nohints"));
	/* we hold EX on hints until we close it, as lvm2 does for the rest of the command */
	assert_int_equal(probe(f->dir, "hints", LOCK_SH), -EWOULDBLOCK);
	close(fd);
	assert_int_equal(probe(f->dir, "hints", LOCK_SH), 0);

	/* no hints file yet: it is created empty, newhints too */
	unlink(path_in(f->dir, "hints"));
	unlink(path_in(f->dir, "newhints"));
	assert_int_equal(tb_hints_invalidate(f->dir, NULL, NULL), 0);
	h = slurp(path_in(f->dir, "hints"));
	assert_non_null(h);
	assert_non_null(strstr(h, "# Created empty by thinbox pid "));
	assert_true(exists(f->dir, "newhints"));

	/* a reader holding SH (an lvm2 command using hints) delays us; while we wait, nohints
	 * exists so that new readers skip hints */
	struct child r = spawn(CHILD_RAW, f->dir, "hints", false);
	assert_int_equal(child_wait_step(&r), 'r');
	pid_t p = fork();
	assert_true(p >= 0);
	if (p == 0)
		_exit(tb_hints_invalidate(f->dir, "vgcreate", NULL) == 0 ? 0 : 1);
	wait_child_blocked(p); /* in flock(hints), after touching nohints */
	assert_true(exists(f->dir, "nohints"));
	child_go(&r, 'k');
	child_reap(&r);
	int st;
	assert_int_equal(waitpid(p, &st, 0), p);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_false(exists(f->dir, "nohints"));
	assert_non_null(strstr(slurp(path_in(f->dir, "hints")), "by vgcreate pid"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_files_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_exclusive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blocking_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aux_protocol, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unlinked_recheck, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hints, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
