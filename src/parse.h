#ifndef RL_PARSE_H
#define RL_PARSE_H
/* The only module that drives tree-sitter's parser and trees
 * (ts_parser_* / ts_tree_*). Everything else sees TSNode values. */
#include <tree_sitter/api.h>

#include "source.h"

/* The grammar for a code language (JS, TS, TSX); NULL for others. */
const TSLanguage *rl_parse_language(rl_lang lang);
/* The grammar of the tree that node n is in (n not null). */
const TSLanguage *rl_parse_node_language(TSNode n);

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

/* Byte ranges of a file that hold code (the <script> blocks of an HTML or
 * Vue file): parsed as one program, every node keeping its offset, line and
 * column in the whole file. Sorted, disjoint. */
typedef struct rl_range {
  uint32_t start, end;
} rl_range;
/* rl_parse, but only of ranges[0..n) of src (src->lang is their language). */
rl_tree *rl_parse_ranges(rl_parser *p, const rl_source *src, const rl_range *ranges, size_t n);

/* An attribute of a <script> tag: name and value (without quotes) as byte
 * ranges of the file; a bare attribute (`setup`) has an empty value. */
typedef struct rl_html_attr {
  uint32_t name_start, name_end, value_start, value_end;
} rl_html_attr;
typedef struct rl_html_script {
  uint32_t tag_start;        /* the '<' of <script */
  uint32_t start, end;       /* the text between <script ...> and </script> */
  const rl_html_attr *attrs; /* valid during the callback */
  size_t nattrs;
} rl_html_script;
/* Tokenizes bytes[from, len) as HTML (tree-sitter-html: comments, quoted
 * attributes, raw text up to a case-insensitive </script) and calls fn for
 * each <script> element with a body, in file order, until fn returns
 * nonzero. Iterative: safe on deeply nested markup. Returns 0, or a negative
 * code when the document could not be tokenized (rl_error_last says why). */
int rl_html_scripts(rl_parser *p, const char *bytes, size_t len, uint32_t from,
                    int (*fn)(void *arg, const rl_html_script *s), void *arg);

/* The first ERROR or MISSING node in document order, or a null node.
 * Iterative: safe on deeply nested input. */
TSNode rl_tree_first_error(const rl_tree *t);

#endif
