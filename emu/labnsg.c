/*
 * labnsg: load the NSG table into the fabric namespace (labnsg.h).
 *
 * Must not: decide what a rule matches (model/nsg.c) or write the rules
 * (model/nsgnft.c); touch the host namespace (nft runs in a child that
 * has entered the fabric's).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "labnsg.h"
#include "model/nsgnft.h"

#define LAB_NFT_ERR_MAX	200	/* of nft's message, quoted in the error */

static int
run_nft(struct lab_ctx *c, const char *path, const char *errpath)
{
	char msg[LAB_NFT_ERR_MAX + 1];
	int status, fd;
	ssize_t n;
	pid_t pid;

	if ((pid = fork()) == -1)
		return lab_fail(c, "fork for nft: %s", strerror(errno));
	if (pid == 0) {
		fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
		if (fd == -1 || dup2(fd, STDOUT_FILENO) == -1 ||
		    dup2(fd, STDERR_FILENO) == -1 ||
		    setns(c->fabric.fd, CLONE_NEWNET) == -1)
			_exit(126);
		execl(LAB_NFT_BIN, "nft", "-f", path, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return lab_fail(c, "waiting for nft: %s", strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	msg[0] = '\0';
	if ((fd = open(errpath, O_RDONLY | O_CLOEXEC)) != -1) {
		n = read(fd, msg, LAB_NFT_ERR_MAX);
		msg[n > 0 ? n : 0] = '\0';
		msg[strcspn(msg, "\n")] = '\0';
		close(fd);
	}
	return lab_fail(c, "NSG rules: nft -f %s in the fabric failed (status "
	    "%d): %s", path, WIFEXITED(status) ? WEXITSTATUS(status) : -1,
	    msg[0] ? msg : "no message");
}

int
lab_nsg(struct lab_ctx *c)
{
	char path[PATH_MAX + 16], errpath[PATH_MAX + 16];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/nsg.nft", c->st.dir);
	snprintf(errpath, sizeof(errpath), "%s/nsg.err", c->st.dir);
	if ((f = fopen(path, "we")) == NULL)
		return lab_fail(c, "%s: %s", path, strerror(errno));
	n = nsg_nft_render(c->t, f);
	if (fclose(f) != 0)
		return lab_fail(c, "%s: %s", path, strerror(errno));
	if (n == 0) {
		(void)unlink(path);
		return 0;
	}
	if (access(LAB_NFT_BIN, X_OK) != 0)
		return lab_fail(c, "the topology has network security groups "
		    "and %s is missing: install nftables", LAB_NFT_BIN);
	return run_nft(c, path, errpath);
}
