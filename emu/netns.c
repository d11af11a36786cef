/*
 * netns: named network namespaces made with syscalls, laid out the way
 * `ip netns` expects, so `ip netns exec arsemu-lab-vm1 ...` works on them.
 *
 * A namespace lives as long as something holds it; a bind mount of the
 * namespace file onto /run/netns/NAME is that something, so the namespace
 * outlives the process that made it. /run/netns itself must be a shared
 * mount point: then a mount made under it is seen by every mount namespace
 * that was cloned from ours (for example one `ip netns exec` sets up), and
 * an unmount here really releases the namespace everywhere.
 *
 * Only the calling thread ever changes namespace (setns, unshare act on the
 * thread), and it is always switched back before returning.
 * Must not: leave the calling thread in another namespace on any path.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/util.h"
#include "netns.h"

#define NETNS_SELF	"/proc/thread-self/ns/net"
#define NETNS_PATHMAX	256

static int
netns_path(const char *name, char *buf, size_t len)
{
	int n;

	/* The name becomes a file name: nothing that could leave the dir. */
	if (name == NULL || name[0] == '\0' || name[0] == '.' ||
	    strchr(name, '/') != NULL)
		return -EINVAL;
	n = snprintf(buf, len, "%s/%s", NETNS_RUN_DIR, name);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

/*
 * Make NETNS_RUN_DIR exist and be a shared mount point. Changing the
 * propagation of a directory that is not a mount point fails with EINVAL:
 * then it becomes one by being bind-mounted onto itself, and we try again.
 */
static int
netns_rundir_setup(void)
{
	if (mkdir(NETNS_RUN_DIR, 0755) == -1 && errno != EEXIST)
		return -errno;
	if (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) == 0)
		return 0;
	if (errno != EINVAL)
		return -errno;
	if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none", MS_BIND | MS_REC,
	    NULL) == -1)
		return -errno;
	if (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) == -1)
		return -errno;
	return 0;
}

static int
netns_rundir(void)
{
	/* once a process: a mount syscall per namespace showed in the build */
	static bool ready;
	int rc;

	if (ready)
		return 0;
	if ((rc = netns_rundir_setup()) == 0)
		ready = true;
	return rc;
}


/* Going back to a namespace we were just in cannot fail unless the system is broken. */
static void
netns_restore(int saved)
{
	if (setns(saved, CLONE_NEWNET) == -1)
		die("netns: cannot return to the original network namespace: %s",
		    strerror(errno));
	close(saved);
}

int
netns_create(const char *name)
{
	return netns_create_with(name, NULL, NULL);
}

int
netns_create_with(const char *name, int (*inside)(void *), void *arg)
{
	char path[NETNS_PATHMAX];
	int fd, saved, rc;

	if ((rc = netns_path(name, path, sizeof(path))) < 0)
		return rc;
	if ((rc = netns_rundir()) < 0)
		return rc;
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd == -1)
		return -errno;
	close(fd);
	if ((saved = open(NETNS_SELF, O_RDONLY | O_CLOEXEC)) == -1) {
		rc = -errno;
		goto fail_unlink;
	}
	if (unshare(CLONE_NEWNET) == -1) {
		rc = -errno;
		close(saved);
		goto fail_unlink;
	}
	rc = 0;
	if (mount(NETNS_SELF, path, "none", MS_BIND, NULL) == -1)
		rc = -errno;
	else if (inside != NULL && (rc = inside(arg)) < 0)
		umount2(path, MNT_DETACH);
	netns_restore(saved);
	if (rc < 0)
		goto fail_unlink;
	return 0;

fail_unlink:
	unlink(path);
	return rc;
}

int
netns_delete(const char *name)
{
	char path[NETNS_PATHMAX];
	int rc;

	if ((rc = netns_path(name, path, sizeof(path))) < 0)
		return rc;
	/* EINVAL: not mounted (a half-made entry); ENOENT: not there at all. */
	if (umount2(path, MNT_DETACH) == -1 && errno != EINVAL &&
	    errno != ENOENT)
		return -errno;
	if (unlink(path) == -1 && errno != ENOENT)
		return -errno;
	return 0;
}

bool
netns_exists(const char *name)
{
	char path[NETNS_PATHMAX];
	struct stat st;

	if (netns_path(name, path, sizeof(path)) < 0)
		return false;
	return stat(path, &st) == 0;
}

int
netns_open_self(void)
{
	int fd;

	if ((fd = open(NETNS_SELF, O_RDONLY | O_CLOEXEC)) == -1)
		return -errno;
	return fd;
}

int
netns_open(const char *name)
{
	char path[NETNS_PATHMAX];
	int fd, rc;

	if ((rc = netns_path(name, path, sizeof(path))) < 0)
		return rc;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -errno;
	return fd;
}

int
netns_enter(int ns_fd, int *saved)
{
	int rc;

	if ((*saved = open(NETNS_SELF, O_RDONLY | O_CLOEXEC)) == -1)
		return -errno;
	if (setns(ns_fd, CLONE_NEWNET) == -1) {
		rc = -errno;
		close(*saved);
		*saved = -1;
		return rc;
	}
	return 0;
}

int
netns_leave(int saved)
{
	if (saved < 0)
		return -EBADF;
	netns_restore(saved);
	return 0;
}

/*
 * /proc/sys/net shows the namespace of the thread that opens the file, and a
 * few handlers look at the writer's namespace too: open, read or write, and
 * close all happen inside ns_fd.
 */
static ssize_t
netns_sysctl_io(int ns_fd, const char *path, bool wr, char *buf, size_t len)
{
	char full[NETNS_PATHMAX];
	int fd, saved, n;
	ssize_t rc;

	if (path[0] == '/' || strstr(path, "..") != NULL)
		return -EINVAL;
	n = snprintf(full, sizeof(full), "/proc/sys/%s", path);
	if (n < 0 || (size_t)n >= sizeof(full))
		return -ENAMETOOLONG;
	saved = -1;
	if (ns_fd >= 0 && (rc = netns_enter(ns_fd, &saved)) < 0)
		return rc;
	if ((fd = open(full, (wr ? O_WRONLY : O_RDONLY) | O_CLOEXEC)) == -1) {
		rc = -errno;
		goto out;
	}
	rc = wr ? write(fd, buf, len) : read(fd, buf, len);
	if (rc == -1)
		rc = -errno;
	else if (wr && (size_t)rc != len)
		rc = -EIO;
	close(fd);
out:
	if (saved >= 0)
		netns_leave(saved);
	return rc;
}

int
netns_sysctl(int ns_fd, const char *path, const char *value)
{
	ssize_t rc;

	rc = netns_sysctl_io(ns_fd, path, true, (char *)value, strlen(value));
	return rc < 0 ? (int)rc : 0;
}

/* Reads the value without its trailing newline; returns its length. */
int
netns_sysctl_read(int ns_fd, const char *path, char *buf, int len)
{
	ssize_t n;

	if (len <= 0)
		return -EINVAL;
	if ((n = netns_sysctl_io(ns_fd, path, false, buf, (size_t)len - 1)) < 0)
		return (int)n;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return (int)n;
}
