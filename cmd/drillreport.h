/*
 * drillreport: a drill's report drawn on one time axis (drillreport.c).
 */
#ifndef ARSEMU_DRILLREPORT_H
#define ARSEMU_DRILLREPORT_H

#include <stddef.h>

struct drill;
struct drill_report;

/* 0 if path names a report arsemu can write (FILE.html, FILE.svg), else -1. */
int	drill_report_kind(const char *path);
/* Write rep to path, HTML or SVG by its ending. -1 with err set. */
int	drill_report_write(const char *path, const struct drill *d,
	    const struct drill_report *rep, char *err, size_t len);

#endif
