/*
 * drillreport: a drill's report as a picture, `arsemu drill ... --report
 * FILE.html|FILE.svg`. One time axis (ms since the drill started) with a
 * lane per flow (its loss windows), a lane of steps (each fail or restore
 * and its convergence) and a lane of session and route events; the HTML
 * page adds the tables the text report prints.
 *
 * The geometry and two colours are fixed, for whoever checks the picture
 * (test/bats/report.bats reads a screenshot's pixels): the plot spans
 * DR_X0..DR_X0+DR_W in the SVG's own pixels for 0..the drill's duration,
 * the axis is a bar of DR_AXIS_COLOUR under it, and a loss window is a
 * rectangle of DR_LOSS_COLOUR, drawn without anti-aliasing and at least one
 * pixel wide; nothing else uses either colour.
 *
 * Must not: run anything, or hold numbers the JSON report does not.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../lib/util.h"
#include "../lib/xml.h"
#include "../emu/drill.h"
#include "../topo/drill.h"
#include "drillreport.h"

#define DR_X0		220	/* px: where time 0 is drawn */
#define DR_W		900	/* px: the drill's duration */
#define DR_LANE		22	/* px: one lane's height */
#define DR_GAP		8
#define DR_TOP		40	/* px: above the first lane (step names) */
#define DR_AXIS_COLOUR	"#000000"
#define DR_LOSS_COLOUR	"#d62728"
#define DR_STEP_COLOUR	"#1f77b4"
#define DR_LANE_COLOUR	"#eef0f3"
#define DR_EVENT_COLOUR	"#6b7280"

static long
lmax(long a, long b)
{
	return a > b ? a : b;
}

static double
dmax(double a, double b)
{
	return a > b ? a : b;
}

/* The axis' span: the drill's duration, or the last thing drawn if later. */
static long
span_ms(const struct drill_report *rep)
{
	long t = rep->duration_ms;
	size_t i, k;

	for (i = 0; i < rep->nev; i++)
		t = lmax(t, rep->ev[i].t_ms);
	for (i = 0; i < rep->nflows; i++)
		for (k = 0; k < rep->flows[i].nw; k++)
			t = lmax(t, rep->flows[i].w[k].start_ms +
			    rep->flows[i].w[k].len_ms);
	return t > 0 ? t : 1;
}

/* About 10 ticks, 1, 2 or 5 times a power of ten ms apart. */
static long
tick_step(long span)
{
	long step = 1;

	for (;;) {
		if (span / step <= 10)
			return step;
		if (span / (step * 2) <= 10)
			return step * 2;
		if (span / (step * 5) <= 10)
			return step * 5;
		step *= 10;
	}
}

static bool
ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);

	return n > m && strcmp(s + n - m, end) == 0;
}

static double
x_of(long t, long span)
{
	if (t < 0)
		t = 0;
	return DR_X0 + (double)t * DR_W / (double)span;
}

static void
lane(FILE *f, int y, const char *label)
{
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
	    "fill=\"%s\"/>\n<text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
	    "font-size=\"12\">", DR_X0, y, DR_W, DR_LANE, DR_LANE_COLOUR,
	    DR_X0 - 8, y + 15);
	xml_puts(f, label);
	fprintf(f, "</text>\n");
}

static void
svg(FILE *f, const struct drill *d, const struct drill_report *rep)
{
	long span = span_ms(rep), tick, step;
	int y, h, ysteps, yev, yaxis;
	char label[128];
	size_t i, k;

	h = DR_TOP + (int)(rep->nflows + 2) * (DR_LANE + DR_GAP) + 40;
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\" "
	    "font-family=\"sans-serif\">\n<title>", DR_X0 + DR_W + 40, h,
	    DR_X0 + DR_W + 40, h);
	xml_puts(f, d->name);
	fprintf(f, "</title>\n<rect width=\"100%%\" height=\"100%%\" "
	    "fill=\"#ffffff\"/>\n");
	y = DR_TOP;
	for (i = 0; i < rep->nflows; i++, y += DR_LANE + DR_GAP) {
		const struct drill_flow *fl = &rep->flows[i];

		snprintf(label, sizeof(label), "%s flow %u (lost %u)",
		    fl->traffic->name, fl->flow, fl->lost);
		lane(f, y, label);
		for (k = 0; k < fl->nw; k++) {
			double x0 = x_of(fl->w[k].start_ms, span);
			double x1 = x_of(fl->w[k].start_ms + fl->w[k].len_ms, span);

			fprintf(f, "<rect class=\"loss\" x=\"%.0f\" y=\"%d\" "
			    "width=\"%.0f\" height=\"%d\" fill=\"%s\"><title>"
			    "lost %u packets from %ld ms for %ld ms</title>"
			    "</rect>\n", x0, y + 2, dmax(1.0, x1 - x0 + 0.5),
			    DR_LANE - 4, DR_LOSS_COLOUR, fl->w[k].lost,
			    fl->w[k].start_ms, fl->w[k].len_ms);
		}
	}
	ysteps = y;
	lane(f, ysteps, "steps (convergence)");
	for (i = 0; i < rep->nsteps; i++) {
		const struct drill_step_result *s = &rep->steps[i];
		double x = x_of(s->t_ms, span);

		if (s->convergence_ms > 0)
			fprintf(f, "<rect x=\"%.0f\" y=\"%d\" width=\"%.0f\" "
			    "height=\"%d\" fill=\"%s\" fill-opacity=\"0.35\"/>\n",
			    x, ysteps + 4, dmax(1.0, x_of(s->t_ms +
			    s->convergence_ms, span) - x), DR_LANE - 8,
			    DR_STEP_COLOUR);
		fprintf(f, "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%d\" y2=\"%d\" "
		    "stroke=\"%s\" stroke-dasharray=\"3 3\"><title>", x, x,
		    DR_TOP - 6, ysteps + DR_LANE, DR_STEP_COLOUR);
		xml_puts(f, s->step->name);
		fprintf(f, ": %s</title></line>\n", s->ok ? "ok" : "FAILED");
		if (s->step->kind == DRILL_FAIL ||
		    s->step->kind == DRILL_RESTORE) {
			fprintf(f, "<text x=\"%.0f\" y=\"%d\" font-size=\"11\" "
			    "fill=\"%s\">", x + 2, DR_TOP - 10, DR_STEP_COLOUR);
			xml_puts(f, s->step->name);
			fprintf(f, "</text>\n");
		}
	}
	yev = ysteps + DR_LANE + DR_GAP;
	lane(f, yev, "events");
	for (i = 0; i < rep->nev; i++) {
		double x = x_of(rep->ev[i].t_ms, span);

		fprintf(f, "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%d\" y2=\"%d\" "
		    "stroke=\"%s\"><title>%ld ms ", x, x, yev + 3,
		    yev + DR_LANE - 3, DR_EVENT_COLOUR, rep->ev[i].t_ms);
		xml_puts(f, rep->ev[i].source);
		fprintf(f, ": ");
		xml_puts(f, rep->ev[i].text);
		fprintf(f, "</title></line>\n");
	}
	yaxis = yev + DR_LANE + DR_GAP;
	fprintf(f, "<rect id=\"axis\" x=\"%d\" y=\"%d\" width=\"%d\" "
	    "height=\"2\" fill=\"%s\"/>\n", DR_X0, yaxis, DR_W, DR_AXIS_COLOUR);
	step = tick_step(span);
	for (tick = 0; tick <= span; tick += step) {
		double x = x_of(tick, span);

		fprintf(f, "<rect x=\"%.0f\" y=\"%d\" width=\"1\" height=\"5\" "
		    "fill=\"#555555\"/>\n<text x=\"%.0f\" y=\"%d\" "
		    "font-size=\"11\" text-anchor=\"middle\" fill=\"#333333\">"
		    "%ld</text>\n", x, yaxis + 2, x, yaxis + 18, tick);
	}
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\" "
	    "fill=\"#333333\">ms since the drill started</text>\n</svg>\n",
	    DR_X0 + DR_W, yaxis + 32);
}

static void
html(FILE *f, const struct drill *d, const struct drill_report *rep)
{
	size_t i, k;

	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
	    "charset=\"utf-8\"><title>drill ");
	xml_puts(f, d->name);
	fprintf(f, "</title><style>body{font-family:sans-serif;margin:16px;"
	    "color:#222}table{border-collapse:collapse;margin:8px 0 16px}"
	    "td,th{border:1px solid #c8ccd2;padding:2px 8px;text-align:left;"
	    "font-size:13px}.ok{color:#1a7f37}.fail{color:#b00020}</style>"
	    "</head><body>\n<h1>drill ");
	xml_puts(f, d->name);
	fprintf(f, " <span class=\"%s\">%s</span></h1>\n<p>lab ",
	    rep->ok ? "ok" : "fail", rep->ok ? "PASSED" : "FAILED");
	xml_puts(f, rep->lab);
	fprintf(f, ", %.1f s", (double)rep->duration_ms / 1000);
	if (d->description != NULL) {
		fprintf(f, ". ");
		xml_puts(f, d->description);
	}
	fprintf(f, "</p>\n");
	svg(f, d, rep);
	fprintf(f, "<h2>Steps</h2><table><tr><th>At (ms)</th><th>Step</th>"
	    "<th>Result</th><th>Convergence (ms)</th><th>Note</th></tr>\n");
	for (i = 0; i < rep->nsteps; i++) {
		const struct drill_step_result *s = &rep->steps[i];

		fprintf(f, "<tr><td>%ld</td><td>", s->t_ms);
		xml_puts(f, s->step->name);
		fprintf(f, "</td><td class=\"%s\">%s</td><td>", s->ok ? "ok" :
		    "fail", s->ok ? "ok" : "FAIL");
		if (s->convergence_ms >= 0)
			fprintf(f, "%ld", s->convergence_ms);
		else
			fprintf(f, "-");
		fprintf(f, "</td><td>");
		xml_puts(f, s->note);
		fprintf(f, "</td></tr>\n");
	}
	fprintf(f, "</table>\n<h2>Traffic</h2><table><tr><th>Traffic</th>"
	    "<th>Flow</th><th>Sent</th><th>Lost</th><th>Loss (ms)</th>"
	    "<th>Loss windows (start+length ms)</th></tr>\n");
	for (i = 0; i < rep->nflows; i++) {
		const struct drill_flow *fl = &rep->flows[i];

		fprintf(f, "<tr><td>");
		xml_puts(f, fl->traffic->name);
		fprintf(f, "</td><td>%u</td><td>%u</td><td>%u</td><td>%ld</td>"
		    "<td>", fl->flow, fl->sent, fl->lost, fl->loss_ms);
		for (k = 0; k < fl->nw; k++)
			fprintf(f, "%s%ld+%ld", k ? " " : "", fl->w[k].start_ms,
			    fl->w[k].len_ms);
		fprintf(f, "</td></tr>\n");
	}
	fprintf(f, "</table>\n");
	if (rep->nexpects > 0) {
		fprintf(f, "<h2>Expectations</h2><table>\n");
		for (i = 0; i < rep->nexpects; i++) {
			fprintf(f, "<tr><td class=\"%s\">%s</td><td>",
			    rep->expects[i].ok ? "ok" : "fail",
			    rep->expects[i].ok ? "ok" : "FAIL");
			xml_puts(f, rep->expects[i].note);
			fprintf(f, "</td></tr>\n");
		}
		fprintf(f, "</table>\n");
	}
	fprintf(f, "</body></html>\n");
}

int
drill_report_write(const char *path, const struct drill *d,
    const struct drill_report *rep, char *err, size_t len)
{
	enum { HTML, SVG } kind;
	FILE *f;

	if (drill_report_kind(path) == -1) {
		snprintf(err, len, "%s: a report is FILE.html or FILE.svg", path);
		return -1;
	}
	kind = ends_with(path, ".svg") ? SVG : HTML;
	if ((f = fopen(path, "we")) == NULL) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (kind == SVG) {
		fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
		svg(f, d, rep);
	} else
		html(f, d, rep);
	if (fclose(f) != 0) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int
drill_report_kind(const char *path)
{
	return ends_with(path, ".html") || ends_with(path, ".svg") ?
	    0 : -1;
}
