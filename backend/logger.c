#include "logger.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "tokend.h"

#define BUF_BYTES (128 * 1024) /* one batch: ~600 lines, over 10 ms of them at full load */
#define BATCH_NS (1000 * 1000) /* how long the writer lets lines gather once woken */

/* Two buffers: request threads append to `fill` while the writer thread writes out the other.
   `mu` guards the buffers and flags; `out_mu` is held for every write(2), so a batch taken earlier
   is always written before a line that bypasses the buffer later. Lock order: mu, then out_mu. */
static struct {
  pthread_mutex_t mu, out_mu;
  pthread_cond_t wake;
  pthread_t thread;
  char *fill, *spare;
  size_t len;
  int open, idle, stop;
} lg = {.mu = PTHREAD_MUTEX_INITIALIZER, .out_mu = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

/* Writes all of iov[0..cnt), retrying short writes; stderr is gone if this fails, so it is dropped. */
static void write_all(struct iovec *iov, int cnt) {
  while (cnt > 0) {
    ssize_t w = writev(STDERR_FILENO, iov, cnt);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return; /* nowhere left to report it */
    while (cnt > 0 && (size_t)w >= iov->iov_len) {
      w -= (ssize_t)iov->iov_len;
      iov++;
      cnt--;
    }
    if (cnt > 0) {
      iov->iov_base = (char *)iov->iov_base + w;
      iov->iov_len -= (size_t)w;
    }
  }
}

static void *writer(void *arg) {
  const struct timespec gather = {0, BATCH_NS};
  (void)arg;
  pthread_mutex_lock(&lg.mu);
  for (;;) {
    while (lg.len == 0 && !lg.stop) {
      lg.idle = 1;
      pthread_cond_wait(&lg.wake, &lg.mu);
      lg.idle = 0;
    }
    if (lg.len == 0) break; /* stopping, and everything is out */
    if (!lg.stop) {
      /* Under load more lines arrive within the millisecond; one write(2) then carries them all. */
      pthread_mutex_unlock(&lg.mu);
      nanosleep(&gather, NULL);
      pthread_mutex_lock(&lg.mu);
    }
    char *batch = lg.fill;
    struct iovec iov = {batch, lg.len};
    lg.fill = lg.spare;
    lg.spare = batch;
    lg.len = 0;
    pthread_mutex_lock(&lg.out_mu);
    pthread_mutex_unlock(&lg.mu);
    write_all(&iov, 1);
    pthread_mutex_unlock(&lg.out_mu);
    pthread_mutex_lock(&lg.mu);
  }
  pthread_mutex_unlock(&lg.mu);
  return NULL;
}

int tk_logger_open(void) {
  char *a = malloc(BUF_BYTES), *b = malloc(BUF_BYTES);
  int rc = TK_ENOMEM;
  pthread_mutex_lock(&lg.mu);
  if (lg.open || a == NULL || b == NULL) {
    rc = lg.open ? TK_OK : TK_ENOMEM;
    goto cleanup;
  }
  lg.fill = a;
  lg.spare = b;
  lg.len = 0;
  lg.stop = 0;
  lg.idle = 0;
  if (pthread_create(&lg.thread, NULL, writer, NULL) != 0) goto cleanup;
  a = b = NULL;
  lg.open = 1;
  rc = TK_OK;
cleanup:
  if (!lg.open) lg.fill = lg.spare = NULL;
  pthread_mutex_unlock(&lg.mu);
  free(a);
  free(b);
  return rc;
}

void tk_logger_close(void) {
  pthread_mutex_lock(&lg.mu);
  if (!lg.open) {
    pthread_mutex_unlock(&lg.mu);
    return;
  }
  lg.stop = 1;
  pthread_cond_signal(&lg.wake);
  pthread_mutex_unlock(&lg.mu);
  pthread_join(lg.thread, NULL);
  pthread_mutex_lock(&lg.mu);
  lg.open = 0;
  free(lg.fill);
  free(lg.spare);
  lg.fill = lg.spare = NULL;
  pthread_mutex_unlock(&lg.mu);
}

void tk_logger_write(const char *line, size_t n) {
  struct iovec iov[2];
  int wake;
  if (n == 0) return;
  pthread_mutex_lock(&lg.mu);
  if (lg.open && n <= BUF_BYTES - lg.len) {
    memcpy(lg.fill + lg.len, line, n);
    /* Only an idle writer needs a wake-up, and only for the first line it will find. */
    wake = lg.len == 0 && lg.idle;
    lg.len += n;
    pthread_mutex_unlock(&lg.mu);
    if (wake) pthread_cond_signal(&lg.wake);
    return;
  }
  /* Not open, or full: write what is buffered and then this line, under both locks so nothing
     queued later can overtake them. */
  iov[0] = (struct iovec){lg.fill, lg.len};
  iov[1] = (struct iovec){(void *)line, n};
  pthread_mutex_lock(&lg.out_mu);
  if (lg.len > 0)
    write_all(iov, 2);
  else
    write_all(iov + 1, 1);
  lg.len = 0;
  pthread_mutex_unlock(&lg.out_mu);
  pthread_mutex_unlock(&lg.mu);
}
