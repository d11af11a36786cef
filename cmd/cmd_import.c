/*
 * cmd_import: `arsemu import az DIR | terraform FILE [-o TOPO.json]
 * [--name LAB] [--json]`. topo_az_import() or topo_tf_import() (a state,
 * or a plan's planned values) makes the topology; this file names the lab, checks
 * that what it made loads (the same checks as `arsemu validate`), prints
 * the warnings (what could not be imported, each with its file and JSON
 * path) and writes the topology to TOPO.json or stdout.
 *
 * Exit status: 0 imported; 1 imported, but the topology does not validate
 * (written anyway, for the user to complete); 2 usage or unusable input.
 * Parses its own options (a raw command): -o is its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/json.h"
#include "../lib/util.h"
#include "../topo/azimport.h"
#include "../topo/tfimport.h"
#include "cli.h"
#include "cmd_import.h"

#define IMPORT_USAGE "usage: arsemu import az DIR | terraform FILE " \
	"[-o TOPO.json] [--name LAB] [--json]"
#define IMPORT_NAME_DEFAULT "imported"

struct iargs {
	const char	*dir, *out, *name;	/* dir: terraform's FILE too */
	bool		 json, tf;
};

/* What either importer made: the topology and its warnings. */
struct imported {
	const char	*json;
	char		**warnings;
	size_t		 nwarnings;
};

static int
parse_args(const struct cli *c, struct iargs *a)
{
	int i, pos = 0;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < c->argc; i++) {
		const char *s = c->argv[i];

		if (strcmp(s, "-o") == 0 || strcmp(s, "--name") == 0) {
			if (i + 1 >= c->argc)
				return cli_err(CLI_USAGE, "%s needs a value", s);
			*(s[1] == 'o' ? &a->out : &a->name) = c->argv[++i];
			if (s[1] != 'o' && cli_lab_name(s, a->name) != 0)
				return CLI_USAGE;
		} else if (strcmp(s, "--json") == 0)
			a->json = true;
		else if (s[0] == '-' && s[1] != '\0')
			return cli_err(CLI_USAGE, "unknown option %s", s);
		else if (pos++ == 0 && strcmp(s, "az") != 0 &&
		    strcmp(s, "terraform") != 0)
			return cli_err(CLI_USAGE, "import knows \"az\" (the az "
			    "CLI's output) and \"terraform\" (terraform show "
			    "-json); %s", IMPORT_USAGE);
		else if (pos == 1)
			a->tf = strcmp(s, "terraform") == 0;
		else if (pos == 2)
			a->dir = s;
		else if (pos > 2)
			return cli_err(CLI_USAGE, IMPORT_USAGE);
	}
	if (a->dir == NULL)
		return cli_err(CLI_USAGE, IMPORT_USAGE);
	return 0;
}

static int
write_out(const char *file, const char *text)
{
	FILE *f = file ? fopen(file, "w") : stdout;

	if (f == NULL)
		return cli_err(CLI_USAGE, "cannot write %s", file);
	fprintf(f, "%s\n", text);
	if (file != NULL && fclose(f) != 0)
		return cli_err(CLI_USAGE, "cannot write %s", file);
	return CLI_OK;
}

/* --json: a summary on stdout (the topology then needs -o). */
static void
print_json(const struct iargs *a, const struct imported *az,
    const struct topo *t, const char *verr)
{
	struct json j;
	size_t i;

	json_init(&j, stdout);
	json_obj_begin(&j);
	json_kstr(&j, "output", a->out);
	json_kbool(&j, "valid", t != NULL);
	json_kstr(&j, "error", verr);
	json_kint(&j, "vnets", t ? (long long)t->nvnets : 0);
	json_kint(&j, "nvas", t ? (long long)t->nnvas : 0);
	json_kint(&j, "nics", t ? (long long)t->nnics : 0);
	json_key(&j, "warnings");
	json_arr_begin(&j);
	for (i = 0; i < az->nwarnings; i++)
		json_str(&j, az->warnings[i]);
	json_arr_end(&j);
	json_obj_end(&j);
	json_end(&j);
}

int
cmd_import(struct cli *c)
{
	struct iargs a;
	struct topo_az az;
	struct topo_tf tf;
	struct imported im;
	struct topo_err e;
	struct topo *t = NULL;
	char verr[700] = "";
	const char *name;
	size_t i;
	int rc;

	if ((rc = parse_args(c, &a)) != 0)
		return rc;
	if (a.json && a.out == NULL)
		return cli_err(CLI_USAGE, "--json prints a summary: write the "
		    "topology with -o FILE");
	name = a.name ? a.name : IMPORT_NAME_DEFAULT;
	if (a.tf) {
		if (topo_tf_import(a.dir, TF_AFTER, name, &tf, &e) == -1)
			return cli_err(CLI_USAGE, "import terraform: %s", e.msg);
		im = (struct imported){ tf.json, tf.warnings, tf.nwarnings };
	} else {
		if (topo_az_import(a.dir, name, &az, &e) == -1)
			return cli_err(CLI_USAGE, "import az %s: %s", a.dir,
			    e.msg);
		im = (struct imported){ az.json, az.warnings, az.nwarnings };
	}
	if (topo_load_string(im.json, strlen(im.json), &t, &e) == -1)
		topo_err_str(&e, a.out ? a.out : "(imported)", verr, sizeof(verr));
	if ((rc = write_out(a.out, im.json)) == CLI_OK && a.json)
		print_json(&a, &im, t, verr[0] ? verr : NULL);
	else if (rc == CLI_OK) {
		for (i = 0; i < im.nwarnings; i++)
			fprintf(stderr, "arsemu: warning: %s\n", im.warnings[i]);
		if (verr[0] != '\0')
			cli_err(CLI_FAIL, "the imported topology does not "
			    "validate: %s", verr);
	}
	if (rc == CLI_OK && verr[0] != '\0')
		rc = CLI_FAIL;
	if (t != NULL)
		topo_free(t);
	if (a.tf)
		topo_tf_free(&tf);
	else
		topo_az_free(&az);
	return rc;
}
