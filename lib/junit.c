/*
 * junit: see junit.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "junit.h"
#include "util.h"
#include "xml.h"

int
junit_open(struct junit *j, const char *file, const char *name, size_t tests,
    size_t failures, size_t errors, double secs)
{
	struct stat st;

	j->file = xstrdup(file);
	/*
	 * What is there and no regular file (/dev/stdout, a FIFO, a symlink)
	 * is written in place: a rename would replace it, and as root
	 * /dev/stdout would become a regular file.
	 */
	j->tmp = lstat(file, &st) == 0 && !S_ISREG(st.st_mode) ? NULL :
	    xasprintf("%s.tmp", file);
	if ((j->f = fopen(j->tmp ? j->tmp : file, "we")) == NULL) {
		int e = errno;

		free(j->file);
		free(j->tmp);
		errno = e;
		return -1;
	}
	fprintf(j->f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuites name=\"");
	xml_puts(j->f, name);
	fprintf(j->f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
	    "time=\"%.3f\">\n", tests, failures, errors, secs);
	return 0;
}

void
junit_suite(struct junit *j, const char *name, size_t tests, size_t failures,
    size_t errors, double secs)
{
	fputs("  <testsuite name=\"", j->f);
	xml_puts(j->f, name);
	fprintf(j->f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
	    "skipped=\"0\" time=\"%.3f\">\n", tests, failures, errors, secs);
}

void
junit_case(struct junit *j, const char *classname, const char *name,
    double secs, enum junit_result r, const char *message, const char *text,
    const char *out)
{
	fputs("    <testcase name=\"", j->f);
	xml_puts(j->f, name);
	fputs("\" classname=\"", j->f);
	xml_puts(j->f, classname);
	fprintf(j->f, "\" time=\"%.3f\">\n", secs);
	if (r != JUNIT_PASS) {
		const char *tag = r == JUNIT_FAILURE ? "failure" : "error";

		fprintf(j->f, "      <%s type=\"%s\" message=\"", tag,
		    r == JUNIT_FAILURE ? "AssertionFailed" : "Error");
		xml_puts(j->f, message != NULL ? message : "");
		fputs("\">", j->f);
		xml_puts(j->f, text != NULL ? text : "");
		fprintf(j->f, "</%s>\n", tag);
	}
	if (out != NULL) {
		fputs("      <system-out>", j->f);
		xml_puts(j->f, out);
		fputs("</system-out>\n", j->f);
	}
	fputs("    </testcase>\n", j->f);
}

void
junit_suite_end(struct junit *j)
{
	fputs("  </testsuite>\n", j->f);
}

int
junit_close(struct junit *j)
{
	int rc = 0, e = 0;

	fputs("</testsuites>\n", j->f);
	if (fclose(j->f) != 0 ||
	    (j->tmp != NULL && rename(j->tmp, j->file) != 0)) {
		e = errno;
		if (j->tmp != NULL)
			unlink(j->tmp);
		rc = -1;
	}
	free(j->file);
	free(j->tmp);
	j->f = NULL;
	errno = e;
	return rc;
}
