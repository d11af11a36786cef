/*
 * netns: named network namespaces, compatible with `ip netns` (a bind mount
 * of the namespace at /run/netns/NAME), made with syscalls.
 *
 * Must not: leave the calling thread in another namespace on any path.
 */
#ifndef ARSEMU_EMU_NETNS_H
#define ARSEMU_EMU_NETNS_H

#include <stdbool.h>

#define NETNS_RUN_DIR	"/run/netns"

/* Create /run/netns/NAME; -EEXIST if it is there already; -errno on failure. */
int	netns_create(const char *name);
/*
 * The same, and inside(arg) runs in the new namespace before the thread
 * goes back (sockets, /proc/sys writes, its fd from /proc/thread-self
 * without a setns each). Its negative return (-errno) fails the creation
 * and NAME is removed; fds inside() opened are the caller's to close.
 */
int	netns_create_with(const char *name, int (*inside)(void *), void *arg);
/* The calling thread's own namespace, O_RDONLY|O_CLOEXEC, or -errno. */
int	netns_open_self(void);
/* Unmount and remove /run/netns/NAME; 0 if it was not there. */
int	netns_delete(const char *name);
bool	netns_exists(const char *name);
/* O_RDONLY|O_CLOEXEC fd of the named namespace, or -errno. */
int	netns_open(const char *name);
/*
 * Switch the calling thread into ns_fd; *saved receives an fd of the
 * namespace it left. netns_leave() goes back and closes it.
 */
int	netns_enter(int ns_fd, int *saved);
int	netns_leave(int saved);
/* Write a sysctl (path below /proc/sys, e.g. "net/ipv4/ip_forward") inside ns_fd. */
int	netns_sysctl(int ns_fd, const char *path, const char *value);
int	netns_sysctl_read(int ns_fd, const char *path, char *buf, int len);

#endif
