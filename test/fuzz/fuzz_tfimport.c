/*
 * fuzz_tfimport: arbitrary bytes into topo_tf_import_text(), both sides
 * (planned values or a state's; a plan's prior state). It must never crash
 * or leak, must return either a topology or an error (never both), and the
 * topology it returns must be JSON that topo_load_string() takes or refuses
 * without crashing; any broken promise aborts, so that libFuzzer reports it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../topo/tfimport.h"
#include "../../topo/topo.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
one(const uint8_t *data, size_t size, enum tf_side side)
{
	struct topo_tf tf;
	struct topo_err err;
	struct topo *t = NULL;
	size_t i;

	if (topo_tf_import_text((const char *)data, size, "fuzz.json", side,
	    "fuzz", &tf, &err) != 0) {
		if (tf.json != NULL || tf.nwarnings != 0 ||
		    memchr(err.msg, '\0', sizeof(err.msg)) == NULL ||
		    memchr(err.path, '\0', sizeof(err.path)) == NULL)
			abort();
		return;
	}
	if (tf.json == NULL)
		abort();
	for (i = 0; i < tf.nwarnings; i++)
		if (tf.warnings[i] == NULL)
			abort();
	if (topo_load_string(tf.json, strlen(tf.json), &t, &err) == 0)
		topo_free(t);
	topo_tf_free(&tf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, TF_AFTER);
	one(data, size, TF_BEFORE);
	return 0;
}
