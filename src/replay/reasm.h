/* TCP reassembly of one direction of a connection.
 *
 * Segments arrive in capture order, which is not always sequence order:
 * retransmissions repeat bytes (sometimes overlapping what came before and
 * adding new ones), segments overtake each other, the 32-bit sequence
 * number wraps, and a capture can miss segments. Bytes leave in sequence
 * order exactly once. Early segments wait in a sorted list capped at
 * REASM_MAX_PENDING bytes: past that the missing piece is declared a gap
 * (reported, then skipped), so memory stays bounded whatever the input. */
#ifndef REPLAY_REASM_H
#define REPLAY_REASM_H

#include <stddef.h>
#include <stdint.h>

#define REASM_MAX_PENDING (256 * 1024)

typedef struct {
	void *ctx;
	void (*data)(void *ctx, const uint8_t *p, size_t n);
	/* n bytes at sequence number seq never appeared in the capture */
	void (*gap)(void *ctx, uint32_t seq, uint32_t n);
} reasm_sink;

typedef struct reasm_seg reasm_seg;

typedef struct {
	int started;
	uint32_t next;      /* sequence number of the next byte to deliver */
	reasm_seg *pending; /* early segments, in sequence order from next */
	size_t pending_bytes;
	uint64_t delivered, repeated, gap_bytes;
} reasm;

/* The stream's first byte has sequence number seq (ISN + 1 after a SYN). */
void replay_reasm_start(reasm *r, uint32_t seq);
/* Adds a segment; in-order bytes go to the sink at once. missing: payload
 * bytes that followed p but were not captured (snapshot length). */
void replay_reasm_add(reasm *r, uint32_t seq, const uint8_t *p, size_t n, size_t missing,
	       const reasm_sink *s);
/* End of stream: whatever waits behind a hole is delivered after reporting
 * the hole as a gap. */
void replay_reasm_flush(reasm *r, const reasm_sink *s);
void replay_reasm_free(reasm *r);

#endif
