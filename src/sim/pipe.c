#include "sim/pipe.h"

int sim_pipe_push(sim_pipe *p, int dir, const uint8_t *rec, size_t n)
{
	return tls_buf_put(&p->q[dir], rec, n);
}

size_t sim_pipe_peek(sim_pipe *p, int dir, uint8_t **rec)
{
	tls_buf *b = &p->q[dir];
	if (b->len < 5)
		return 0;
	size_t n = 5 + (size_t)((b->p[3] << 8) | b->p[4]);
	if (n > b->len)
		return 0;
	*rec = b->p;
	return n;
}

void sim_pipe_pop(sim_pipe *p, int dir)
{
	uint8_t *r;
	size_t n = sim_pipe_peek(p, dir, &r);
	tls_buf_consume(&p->q[dir], n);
}

void sim_pipe_free(sim_pipe *p)
{
	tls_buf_free(&p->q[0]);
	tls_buf_free(&p->q[1]);
}
