#ifndef RL_ONCE_H
#define RL_ONCE_H

#include <pthread.h>

/* Built once, by whichever worker asks first, while the others wait: the
 * project model's lazily read and summarised files. A state is 0 (not
 * built), 1 (being built) or 2 (built), guarded by mu; cv is broadcast when
 * a build ends.
 *
 *   pthread_mutex_lock(mu);
 *   if (rl_once_claim(&x->state, mu, cv)) {
 *     pthread_mutex_unlock(mu);
 *     build(x);                       // without the lock
 *     pthread_mutex_lock(mu);
 *     rl_once_done(&x->state, cv);
 *   }
 *   pthread_mutex_unlock(mu);
 */

/* With mu held: waits while another worker builds; 1 when the caller is to
 * build (the state is then 1), 0 when it is built. */
static inline int rl_once_claim(int *state, pthread_mutex_t *mu, pthread_cond_t *cv) {
  while (*state == 1) pthread_cond_wait(cv, mu);
  if (*state != 0) return 0;
  *state = 1;
  return 1;
}

/* With mu held: the claimed build is over; wakes the waiters. */
static inline void rl_once_done(int *state, pthread_cond_t *cv) {
  *state = 2;
  pthread_cond_broadcast(cv);
}

#endif
