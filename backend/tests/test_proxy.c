/* The client address behind proxies: X-Forwarded-For believed only from trusted peers, read from the right. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cmocka.h>

#include "proxy.h"
#include "tokend.h"

static tk_cidr trusted[2];

static const char *client(const char *peer, const char *xff) {
  static char out[TK_ADDR_MAX];
  struct sockaddr_in sin;
  struct sockaddr_in6 sin6;
  memset(&sin, 0, sizeof sin);
  memset(&sin6, 0, sizeof sin6);
  if (inet_pton(AF_INET, peer, &sin.sin_addr) == 1) {
    sin.sin_family = AF_INET;
    assert_int_equal(tk_proxy_client(out, (struct sockaddr *)&sin, xff, trusted, 2), 0);
  } else {
    assert_int_equal(inet_pton(AF_INET6, peer, &sin6.sin6_addr), 1);
    sin6.sin6_family = AF_INET6;
    assert_int_equal(tk_proxy_client(out, (struct sockaddr *)&sin6, xff, trusted, 2), 0);
  }
  return out;
}

static int parse(const char *s) {
  tk_cidr c;
  return tk_cidr_parse(&c, s, strlen(s));
}

static void proxy__cidr_parse(void **state) {
  (void)state;
  assert_int_equal(parse("127.0.0.1"), 0);
  assert_int_equal(parse("10.0.0.0/8"), 0);
  assert_int_equal(parse("fd00::/8"), 0);
  assert_int_equal(parse("::1"), 0);
  assert_int_equal(parse("0.0.0.0/0"), 0);
  assert_int_equal(parse("10.0.0.1/8"), TK_EINVAL); /* host bits set */
  assert_int_equal(parse("10.0.0.0/33"), TK_EINVAL);
  assert_int_equal(parse("10.0.0.0/08"), TK_EINVAL);
  assert_int_equal(parse("10.0.0.0/"), TK_EINVAL);
  assert_int_equal(parse("localhost"), TK_EINVAL);
  assert_int_equal(parse("::/129"), TK_EINVAL);
}

static void proxy__forwarded_for(void **state) {
  (void)state;
  assert_int_equal(tk_cidr_parse(&trusted[0], "127.0.0.1", 9), 0);
  assert_int_equal(tk_cidr_parse(&trusted[1], "10.1.0.0/16", 11), 0);
  /* an untrusted peer: its header is ignored */
  assert_string_equal(client("192.0.2.7", "203.0.113.9"), "192.0.2.7");
  assert_string_equal(client("10.2.0.1", "203.0.113.9"), "10.2.0.1"); /* just outside the block */
  /* a trusted peer: the rightmost entry that is not itself a trusted proxy */
  assert_string_equal(client("127.0.0.1", "192.0.2.7"), "192.0.2.7");
  assert_string_equal(client("127.0.0.1", "203.0.113.9, 192.0.2.7"), "192.0.2.7"); /* forged left entry */
  assert_string_equal(client("127.0.0.1", "203.0.113.9, 192.0.2.7, 10.1.2.3"), "192.0.2.7");
  assert_string_equal(client("127.0.0.1", " 2001:db8::5 "), "2001:db8::5");
  /* no header, an empty one, garbage: the trusted peer itself, or the last hop a trusted one named */
  assert_string_equal(client("127.0.0.1", NULL), "127.0.0.1");
  assert_string_equal(client("127.0.0.1", ""), "127.0.0.1");
  assert_string_equal(client("127.0.0.1", "garbage"), "127.0.0.1");
  assert_string_equal(client("127.0.0.1", "192.0.2.7, garbage, 10.1.0.9"), "10.1.0.9");
  /* every entry trusted: the leftmost */
  assert_string_equal(client("127.0.0.1", "10.1.0.8, 127.0.0.1"), "10.1.0.8");
  /* an IPv4 peer on a dual-stack socket counts as IPv4 */
  assert_string_equal(client("::ffff:127.0.0.1", "192.0.2.7"), "192.0.2.7");
  assert_string_equal(client("::ffff:192.0.2.8", "198.51.100.1"), "192.0.2.8");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(proxy__cidr_parse),
      cmocka_unit_test(proxy__forwarded_for),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
