/*
 * lablb: a lab's internal load balancers in its fabric namespace (see
 * lablb.c): the links routes to a frontend leave by, the rules that send
 * each flow to the backend the model's hash picks (emu/model/lb.h).
 */
#ifndef ARSEMU_EMU_LABLB_H
#define ARSEMU_EMU_LABLB_H

struct lab_ctx;

/* Build them all (none: nothing); -1 with the context's error set. */
int	lab_lbs(struct lab_ctx *c);

#endif
