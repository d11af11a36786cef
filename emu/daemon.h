/*
 * daemon: the lab daemon and the speaker process, as commands.
 */
#ifndef ARSEMU_EMU_DAEMON_H
#define ARSEMU_EMU_DAEMON_H

/* `arsemu _speaker LAB NODE`: run inside the node's namespace (speaker_main.c). */
int	emu_speaker_main(const char *lab, const char *node);
/* `arsemu _daemon LAB`: the lab daemon; returns when told to stop (daemon.c). */
int	emu_daemon_main(const char *lab);

#endif
