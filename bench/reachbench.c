/*
 * reachbench: the naive per-pair cost of `arsemu reach`'s matrix, to set
 * beside the command's own time (bench/reach-bench.sh). Naive: every
 * source NIC's whole effective-route table (sdn_effective, as walk
 * --offline computes it), then one walk_predict() on whole tables per
 * pair, VM to VM and VM to the Internet. Measured on a random sample of
 * pairs, extrapolated to all of them:
 *
 *   estimate = VMs x (time of one table) + pairs x (time of one walk)
 *
 * Usage: reachbench TOPO SAMPLE [SEED]. Prints one line of figures.
 * Linked against build/libmodel.a and build/libcore.a; a benchmark, not a
 * test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../emu/model/plan.h"
#include "../emu/model/walk.h"
#include "../lib/util.h"

struct whole {
	const struct topo	*t;
	const struct plan	*p;
	struct sdn_table	*tabs;
	bool			*have;
	size_t			 computed;
	double			 table_s;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const struct sdn_table *
whole_table(void *arg, const struct topo_nic *nic)
{
	struct whole *w = arg;
	double t0;

	if (!w->have[nic->idx]) {
		t0 = now();
		sdn_effective(w->t, &w->p->in, nic, &w->tabs[nic->idx]);
		w->table_s += now() - t0;
		w->computed++;
		w->have[nic->idx] = true;
	}
	return &w->tabs[nic->idx];
}

int
main(int argc, char **argv)
{
	struct topo_err e;
	struct topo *t;
	struct plan p;
	struct whole w;
	const struct topo_node **vms;
	size_t nvms = 0, i, sample;
	double t0, plan_s, walk_s = 0, pairs, est;
	unsigned seed;

	if (argc < 3 || (sample = strtoul(argv[2], NULL, 10)) == 0) {
		fprintf(stderr, "usage: reachbench TOPO SAMPLE [SEED]\n");
		return 2;
	}
	seed = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 1;
	if (topo_load_file(argv[1], &t, &e) != 0) {
		fprintf(stderr, "reachbench: %s: %s: %s\n", argv[1], e.path, e.msg);
		return 2;
	}
	t0 = now();
	plan_run(t, &p);
	plan_s = now() - t0;
	vms = xcalloc(t->nnodes, sizeof(*vms));
	for (i = 0; i < t->nnodes; i++)
		if (t->nodes[i]->kind == TOPO_VM)
			vms[nvms++] = t->nodes[i];
	memset(&w, 0, sizeof(w));
	w.t = t;
	w.p = &p;
	w.tabs = xcalloc(t->nnics, sizeof(*w.tabs));
	w.have = xcalloc(t->nnics, sizeof(*w.have));
	srand(seed);
	for (i = 0; i < sample; i++) {
		struct walk_env env = { t, whole_table, NULL, NULL, &w, &p.in, NULL };
		const struct topo_node *s = vms[(size_t)rand() % nvms];
		size_t d = (size_t)rand() % (nvms + 1);	/* nvms: the Internet */
		struct walk_pkt pkt = { walk_node_ip(s), d == nvms ? 0xc6336401u :
		    walk_node_ip(vms[d]), WALK_UDP, 33434, WALK_SPORT_BASE, false };
		struct walk wk;
		double before = w.table_s;

		t0 = now();
		walk_predict(&env, s, &pkt, 0, &wk);
		walk_s += now() - t0 - (w.table_s - before);
	}
	pairs = (double)nvms * (double)nvms;	/* VM to VM but itself, and to the Internet */
	est = plan_s + (double)nvms * (w.table_s / (double)w.computed) +
	    pairs * (walk_s / (double)sample);
	printf("vms %zu pairs %.0f sample %zu plan_s %.3f tables %zu "
	    "table_ms %.3f walk_us %.3f naive_s %.1f\n", nvms, pairs, sample,
	    plan_s, w.computed, 1e3 * w.table_s / (double)w.computed,
	    1e6 * walk_s / (double)sample, est);
	for (i = 0; i < t->nnics; i++)
		if (w.have[i])
			sdn_table_free(&w.tabs[i]);
	free(w.tabs);
	free(w.have);
	free(vms);
	plan_free(&p);
	topo_free(t);
	return 0;
}
