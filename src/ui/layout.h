/* The TUI's view model: pure functions that turn a model step into lines,
 * rows and rectangles, with no ncurses in sight, so each can be unit-tested
 * and the drawing code (tui_*.c) only has to copy text to the screen.
 *
 * Column counts are display columns: the only non-ASCII text produced here
 * is single-width (arrows, triangles), see layout_cols(). */
#ifndef UI_LAYOUT_H
#define UI_LAYOUT_H

#include "model/model.h"

#include <stddef.h>
#include <stdint.h>

/* Display columns of a UTF-8 string (every code point counted as one). */
int layout_cols(const char *s);
/* Byte length of the longest prefix of s that fits in cols columns. */
size_t layout_fit(const char *s, int cols);

/* ---- timeline ---- */

/* 1 when the step carries (or, not reached yet, will carry) encrypted data. */
int layout_step_encrypted(const model *m, int step);
/* "C→S" / "C←S" / "C⇄S" (or ASCII "C->S" ...). */
const char *layout_arrow(int step, int ascii);

typedef struct {
	char text[512];    /* the whole line */
	int cur_col;       /* where the current step's entry starts (columns) */
	int cur_width;     /* and how wide it is */
	int level;         /* 0 full titles .. 4 numbers only */
	int col[MODEL_LAST_STEP + 2]; /* where each step's entry starts */
} layout_timeline;

/* 1 when a reached step of a resumed handshake carried nothing (3, 4). */
int layout_step_skipped(const model *m, int step);
/* 1 when the handshake resumed an earlier session. */
int layout_resumed(const model *m);

/* Lays out steps 0 (introduction)..last with cur marked, within width columns. */
void layout_timeline_make(const model *m, int cur, int last, int width, int ascii, layout_timeline *t);

/* ---- field tree ---- */

enum lt_kind { LT_RECORD, LT_MSG, LT_FIELD };

typedef struct {
	enum lt_kind kind;
	int depth;       /* indentation level */
	int parent;      /* row index, -1 for records */
	int rec;         /* record index in the step */
	int msg;         /* message index, -1 when none */
	int in_msg;      /* the bytes are the message's own (decrypted) bytes, not the wire */
	int opened;      /* the bytes are the decrypted record (model_record.opened) */
	size_t off, len; /* the bytes this row covers, in its buffer */
	const tls_span *span; /* fields only */
	int collapsed;
	char label[160];
	uint8_t hex_at, hex_len; /* the value's hex in label, before its name (0: none) */
} lt_row;

typedef struct {
	lt_row *v;
	int n, cap;
} lt_tree;

/* Builds record -> message -> field rows for a step, everything expanded. */
int layout_tree_build(const model *m, int step, lt_tree *t);
void layout_tree_free(lt_tree *t);
/* Visible rows (ancestors all expanded), in order, into idx; returns count. */
int layout_tree_visible(const lt_tree *t, int *idx, int max);
/* The first row at or after from whose label or field path holds q (any
 * case), or -1. */
int layout_tree_find(const lt_tree *t, int from, const char *q);
/* The bytes a row points into. */
void layout_row_buffer(const model *m, int step, const lt_row *r, const uint8_t **p, size_t *n);
/* 1 when rows a and b show the same buffer. */
int layout_same_buffer(const lt_row *a, const lt_row *b);
/* The narrowest row over byte off of the same buffer as row `like`
 * (fields preferred over messages over records); -1 when none. */
int layout_tree_at(const lt_tree *t, int like, size_t off);

/* ---- hex dump ---- */

/* Bytes per dump line that fit in width columns (8, 16, 24 or 32; min 4). */
int layout_hex_per_line(int width);
/* Columns taken by one dump line of per bytes. */
int layout_hex_width(int per);
/* "0010  f0 34 2d .. |ascii" for bytes [start, start+per) of p (n total). */
void layout_hex_line(const uint8_t *p, size_t n, size_t start, int per, char *out, size_t outn);
/* Columns, within a dump line, of byte j of the line: hex and ASCII parts. */
int layout_hex_col(int j);
int layout_ascii_col(int j, int per);
/* Byte under column col of the line starting at start, or -1. */
long layout_hex_byte_at(int col, size_t start, int per, size_t n);

/* ---- who knows what ---- */

typedef struct {
	char label[40];
	char client[256];
	char server[256];
} lt_know;

/* Rows for the knowledge pane at a step: every secret, the transcript hash,
 * the certificate check. Unknown values read "not yet". Returns count. */
int layout_knowledge(const model *m, int step, lt_know *rows, int max);

/* ---- text lines (derivation, help, alert) ---- */

typedef struct {
	char **v;
	int n, cap;
} lt_lines;

int lt_lines_add(lt_lines *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lt_lines_free(lt_lines *l);

/* Word-wraps s to width columns. */
int layout_wrap(const char *s, int width, lt_lines *out);
/* 1 when step has a derivation view (master secret known at that step). */
int layout_has_derivation(const model *m, int step);
/* master_secret and key_block derivation with real values, hex wrapped to width. */
int layout_derivation(const model *m, int step, int width, lt_lines *out);
/* The alert sent at this step, one line, or "" when none. */
void layout_alert(const model *m, int step, char *out, size_t n);
/* "one" when n is 1, else "many": "1 row", "2 rows". */
const char *layout_plural(long n, const char *one, const char *many);
/* A field's code by name, from the engine's tables: "TLS_RSA_WITH_..."
 * for a cipher suite, an extension, version, group or signature scheme;
 * a certificate field's decoded value. 0 when the field has no name. */
int layout_field_name(const tls_span *s, const uint8_t *p, size_t avail, char *out, size_t n);
/* "Step 1 of 6: Client hello — client -> server, cleartext"; step 0 is the
 * introduction, step 7 comes after the six. */
void layout_header(const model *m, int step, int ascii, char *out, size_t n);
/* "rsa  seed 1  TLS_RSA_..." */
void layout_status(const model *m, char *out, size_t n);
/* One row of the help: the keys as the user types them, and what they do. */
typedef struct {
	const char *keys;
	const char *what;
} lt_key;

/* The help screen, from the key table: one line per row, then what the
 * marker (">" or the triangle actually drawn) means. */
int layout_help(const lt_key *keys, size_t n, const char *marker, lt_lines *out);

/* The ladder diagram of the messages so far: a header line, then one
 * arrow per message (= when encrypted), the step number at its first
 * message, the current step marked, the alert where it was sent.
 * line_step[i] gets each line's step (-1 for the header). */
int layout_ladder(const model *m, int cur, int width, int ascii, lt_lines *out, int *line_step, int max);

/* ---- screen ---- */

enum lt_pane { P_TREE, P_DUMP, P_LESSON, P_LADDER, P_KNOW, P_DERIV, P_COUNT };

typedef struct {
	int y, x, h, w; /* h == 0: not shown */
} lt_rect;

typedef struct {
	int too_small;
	lt_rect timeline, header, detail, status;
	lt_rect pane[P_COUNT];
} lt_screen;

/* Which pane goes where on the right: upper (lesson or ladder) and lower
 * (knowledge or derivation) on a tall screen, single when only one fits;
 * -1 for none. zoom >= 0 gives that pane the whole middle of the screen. */
typedef struct {
	int upper, lower, single, zoom;
} lt_place;

#define LAYOUT_MIN_W 80
#define LAYOUT_MIN_H 24

void layout_screen(int w, int h, const lt_place *pl, lt_screen *s);

#endif
