#ifndef RL_PARSE_H
#define RL_PARSE_H
/* The only module that drives tree-sitter's parser and trees
 * (ts_parser_* / ts_tree_*). Everything else sees TSNode values. */
#include <tree_sitter/api.h>

#include "source.h"

/* The grammar for a code language (JS, TS, TSX); NULL for others. */
const TSLanguage *rl_parse_language(rl_lang lang);

/* A parser per worker thread: reused across files. */
typedef struct rl_parser rl_parser;
rl_parser *rl_parser_new(void);
void rl_parser_free(rl_parser *p);

/* Whether the last rl_parse with p stopped at its time limit (a floor plus
 * time per byte; see parse.c) rather than failing otherwise. */
int rl_parser_timed_out(const rl_parser *p);

/* A parsed file. Free with rl_tree_free; rl_tree_free(NULL) is a no-op. */
typedef struct rl_tree rl_tree;
/* Parses src (a code language). Returns NULL, with the reason in
 * rl_error_last(), when the grammar fails to load, the parse reaches its
 * time limit, or the file ends inside more unfinished constructs than
 * tree-sitter counts; syntax errors still give a tree. */
rl_tree *rl_parse(rl_parser *p, const rl_source *src);
TSNode rl_tree_root(const rl_tree *t);
void rl_tree_free(rl_tree *t);

/* The first ERROR or MISSING node in document order, or a null node.
 * Iterative: safe on deeply nested input. */
TSNode rl_tree_first_error(const rl_tree *t);

#endif
