/*
 * fuzz_azimport: arbitrary bytes as the files of `arsemu import az DIR`.
 * The input is cut at each line "----" into at most eight files (f0.json,
 * f1.json, ...) written into one scratch directory of this process (under
 * $TMPDIR or /tmp, emptied before each run, removed at exit);
 * topo_az_import() must never
 * crash or leak, must return either a topology or an error (never both),
 * each warning a string, and what it returns must parse as JSON and be
 * loadable (a load may fail: the user completes an import) without a
 * crash. Any broken promise aborts, so that libFuzzer reports it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "../../topo/azimport.h"
#include "../../topo/topo.h"

#define NFILES	8
#define SEP	"\n----\n"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[256];

static void
file_path(char *buf, size_t len, int i)
{
	snprintf(buf, len, "%s/f%d.json", dir, i);
}

static void
write_file(int i, const uint8_t *p, size_t n)
{
	char path[300];
	FILE *f;

	file_path(path, sizeof(path), i);
	if ((f = fopen(path, "w")) == NULL)
		abort();
	if (n > 0 && fwrite(p, 1, n, f) != n)
		abort();
	fclose(f);
}

static void
clean(void)
{
	char path[300];
	int i;

	for (i = 0; i < NFILES; i++) {
		file_path(path, sizeof(path), i);
		unlink(path);
	}
	rmdir(dir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct topo_az az;
	struct topo_err err;
	struct topo *t = NULL;
	const uint8_t *p = data, *end = data + size, *sep;
	char path[300];
	size_t i;
	int n = 0;

	if (dir[0] == '\0') {
		const char *tmp = getenv("TMPDIR");

		snprintf(dir, sizeof(dir), "%s/arsemu-fuzz-az-XXXXXX",
		    tmp ? tmp : "/tmp");
		if (mkdtemp(dir) == NULL)
			abort();
		atexit(clean);
	}
	for (i = 0; i < NFILES; i++) {
		file_path(path, sizeof(path), (int)i);
		unlink(path);
	}
	while (n < NFILES) {
		sep = memmem(p, (size_t)(end - p), SEP, sizeof(SEP) - 1);
		write_file(n++, p, (size_t)((sep ? sep : end) - p));
		if (sep == NULL)
			break;
		p = sep + sizeof(SEP) - 1;
	}
	if (topo_az_import(dir, "fuzz", &az, &err) == -1) {
		if (memchr(err.msg, '\0', sizeof(err.msg)) == NULL ||
		    memchr(err.path, '\0', sizeof(err.path)) == NULL ||
		    az.json != NULL || az.nwarnings != 0)
			abort();
		return 0;
	}
	if (az.json == NULL)
		abort();
	for (i = 0; i < az.nwarnings; i++)
		if (az.warnings[i] == NULL)
			abort();
	{
		cJSON *root = cJSON_Parse(az.json);

		if (root == NULL)
			abort();
		cJSON_Delete(root);
	}
	if (topo_load_string(az.json, strlen(az.json), &t, &err) == 0)
		topo_free(t);
	topo_az_free(&az);
	return 0;
}
