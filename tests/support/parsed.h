#ifndef RL_TEST_PARSED_H
#define RL_TEST_PARSED_H
/* Tests' way to parse a snippet and get the analysis state rules use. */
#include "analysis.h"
#include "arena.h"
#include "parse.h"
#include "source.h"

typedef struct parsed {
  rl_arena *arena;
  rl_parser *parser;
  rl_source src;
  rl_tree *tree;
  rl_jsfile *jf;
} parsed;

/* Parses code as the file `path` (its extension picks the grammar); fails
 * the running test if no tree comes back. Free with parsed_free. */
void parse_js(parsed *p, const char *path, const char *code);
void parsed_free(parsed *p);

#endif
