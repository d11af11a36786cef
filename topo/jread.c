/*
 * jread: one JSON document, from a file or from memory, for every reader of
 * JSON in topo/ (see topo_int.h). What cJSON lets pass is refused here, in
 * one place: text after the document, and a NUL inside a string.
 *
 * Must not: quote the input in an error (a file that is not JSON may be
 * anything, /etc/shadow included); the position says where.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../lib/util.h"
#include "topo_int.h"

#define READ_CHUNK	(64u << 10)

int
topo_read_file(const char *file, char **text, size_t *len,
    struct topo_err *err)
{
	char *buf = NULL;
	size_t n = 0, cap = 0, got;
	FILE *f;

	*text = NULL;
	*len = 0;
	if ((f = fopen(file, "r")) == NULL) {
		snprintf(err->msg, sizeof(err->msg), "cannot read the file: %s",
		    strerror(errno));
		return -1;
	}
	do {
		if (n > TOPO_FILE_MAX) {
			snprintf(err->msg, sizeof(err->msg), "the file is larger "
			    "than %u bytes (%u MiB), the most arsemu reads of a "
			    "JSON file", TOPO_FILE_MAX, TOPO_FILE_MAX >> 20);
			goto fail;
		}
		/* One byte past the cap is enough to know it is too big. */
		xgrow(&buf, &cap, n + READ_CHUNK, 1);
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	if (ferror(f)) {
		snprintf(err->msg, sizeof(err->msg), "cannot read the file: %s",
		    strerror(errno));
		goto fail;
	}
	fclose(f);
	*text = buf;
	*len = n;
	return 0;
fail:
	fclose(f);
	free(buf);
	return -1;
}

/*
 * The offset of the first NUL inside a string of a document cJSON parsed:
 * a raw 0 byte or a \u0000 escape; len if none.
 */
static size_t
string_nul(const char *s, size_t len)
{
	bool in = false;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\0')
			return i;
		if (!in) {
			in = s[i] == '"';
			continue;
		}
		if (s[i] == '"')
			in = false;
		else if (s[i] == '\\' && i + 1 < len) {
			if (s[i + 1] == 'u' && i + 5 < len &&
			    memcmp(s + i + 2, "0000", 4) == 0)
				return i;
			i++;
		}
	}
	return len;
}

/* Where cJSON gave up, or the text after the document: no quote of it. */
static void
syntax_error(struct tctx *c, size_t off, bool trailing)
{
	snprintf(c->err->path, sizeof(c->err->path), "%s", "");
	if (trailing)
		snprintf(c->err->msg, sizeof(c->err->msg), "malformed JSON: "
		    "text after the end of the document");
	else if (off >= c->len)
		snprintf(c->err->msg, sizeof(c->err->msg), "malformed JSON: "
		    "the document ends too early or is empty");
	else
		snprintf(c->err->msg, sizeof(c->err->msg), "malformed JSON: "
		    "not valid here");
	topo_pos_offset(c->text, c->len, off, &c->err->line, &c->err->col);
}

cJSON *
topo_json_parse(struct tctx *c)
{
	char p[TOPO_PATH_MAX];
	const char *end = NULL;
	char *copy;
	cJSON *root;
	size_t off;

	/* A NUL-terminated copy: cJSON is not trusted to stop at len. */
	copy = xmalloc(c->len + 1);
	if (c->len > 0)
		memcpy(copy, c->text, c->len);
	copy[c->len] = '\0';
	root = cJSON_ParseWithLengthOpts(copy, c->len, &end, 0);
	off = end != NULL && end >= copy ? (size_t)(end - copy) : 0;
	free(copy);
	if (off > c->len)
		off = c->len;
	if (root == NULL) {
		syntax_error(c, off, false);
		return NULL;
	}
	while (off < c->len && strchr(" \t\r\n", c->text[off]) != NULL &&
	    c->text[off] != '\0')
		off++;
	if (off < c->len) {
		cJSON_Delete(root);
		syntax_error(c, off, true);
		return NULL;
	}
	if ((off = string_nul(c->text, c->len)) < c->len) {
		cJSON_Delete(root);
		topo_pos_path_at(c->text, c->len, off, p);
		topo_fail(c, p, "a string holds a NUL character (\\u0000): "
		    "names and text end there in C, so it is refused");
		/* The string's own position, not its key's. */
		topo_pos_offset(c->text, c->len, off, &c->err->line,
		    &c->err->col);
		return NULL;
	}
	return root;
}

char *
topo_dir_of(const char *file)
{
	char *base = xstrdup(file), *slash;

	if ((slash = strrchr(base, '/')) != NULL)
		*slash = '\0';
	else
		base[0] = '\0';
	return base;
}
