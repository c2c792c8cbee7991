/* The log writer: whole lines go to stderr in batches, written by one thread off the request path.
   Lines keep the order in which tk_logger_write was called and are never split or interleaved. */
#ifndef TK_LOGGER_H
#define TK_LOGGER_H
#include <stddef.h>

/* Starts the writer thread. Until then, and after tk_logger_close, every line is written at once.
   Returns 0 or TK_ENOMEM (the caller may go on: lines are then written directly). */
int tk_logger_open(void);

/* Writes out every line still buffered, then stops the writer thread. A no-op when not open. */
void tk_logger_close(void);

/* Queues line[0..n) (one or more whole lines, newline included). If the buffer is full the caller
   writes the buffer and its line itself, in order, rather than dropping or waiting for room. */
void tk_logger_write(const char *line, size_t n);

#endif
