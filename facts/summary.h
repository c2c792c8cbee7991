#ifndef RL_SUMMARY_H
#define RL_SUMMARY_H
/* One module's local summary: what each of its exported (and top-level)
 * symbols does by itself, and which other symbols' effects flow into it.
 * A pure function of one file's tree (no I/O): the engine (src/project.c)
 * builds it once per file and per run, and joins the references across
 * files when a rule asks (project.h), so that the answer for a symbol
 * depends on that symbol alone, never on which file asked first.
 *
 * Local names: every top-level function, const and class of the file is a
 * symbol "#name", each method of a class "#Class.method". Exports are
 * aliases to them or to an import: `export { f as g }` is "g" -> "#f";
 * `export { x } from './m'` and `export const y = imported` are "x" ->
 * ('./m', "x"). A reference with spec NULL is into the same module. */
#include <stddef.h>

#include "analysis.h"
#include "prefilter.h"
#include "project.h"

/* A symbol of another module (spec != NULL) or of this one (spec NULL). */
typedef struct rl_symref {
  const char *spec; /* the import specifier as written, or NULL */
  const char *name; /* "x", "default", "Class.method", "#local"; "" = the module object */
  /* a dep called as `x.post('/rooms')` (an HTTP verb on an imported value):
   * the path's text and the method ("POST"), else NULL (the model judges it
   * when x is an axios instance with a base URL); and where a dep is called
   * (path NULL when not known) */
  const char *url;
  const char *method;
  rl_site at;
} rl_symref;

typedef struct rl_localsym {
  rl_symbol s;           /* what it does by itself (s.name: its name here) */
  rl_symref alias;       /* alias.name != NULL: this symbol IS that one */
  const rl_symref *deps; /* symbols it calls (their effects flow into it) */
  size_t ndeps;
  int is_middleware; /* a function with (req, res, next) / (ctx, next) shape */
  /* calls whose value it returns (facts/returns.c): their RETURNS_* effects
   * flow into it, and only theirs */
  const rl_symref *ret_deps;
  size_t nret_deps;
} rl_localsym;

typedef struct rl_localmod {
  rl_localsym *syms; /* sorted by s.name */
  size_t nsyms;
  const char **stars; /* `export * from` specifiers, in order */
  size_t nstars;
  int complete; /* the analysis finished within its budget */
} rl_localmod;

/* Builds the summary of the file jf/root (path: its display path, copied)
 * into out_arena: nothing points into the tree or the file's arena. */
rl_localmod *rl_summary_build(rl_jsfile *jf, TSNode root, const char *path, rl_arena *out_arena);

/* The symbol called name in m (exact), or NULL. */
const rl_localsym *rl_localmod_find(const rl_localmod *m, const char *name);

/* The project symbol expression e names in jf's file, when it comes from an
 * import or require of a specifier (any: the engine decides whether it is a
 * project file) or, with local, from the file itself (a top-level function,
 * a class method through `this.m()`, `new C().m()`, an instance const):
 *   f            -> (spec, "f") or (NULL, "#f")
 *   o.m          -> o imported: (spec, "m"); o = new C() with C imported:
 *                   (spec, "C.m"); C local: (NULL, "#C.m")
 *   require('./m') -> ('./m', "")  (the module object: its default export)
 * call/new nodes name their callee. Returns 1 and fills *out (strings in
 * jf's arena), else 0. */
int rl_summary_ref(rl_jsfile *jf, TSNode e, int local, rl_symref *out);

/* `x.post('/rooms', ...)`: an HTTP verb (get, post, put, patch, delete, head,
 * options) called on a value, its first argument a URL text: the method
 * ("POST") and *url (in jf's arena); else NULL. */
const char *rl_summary_http_verb_call(rl_jsfile *jf, TSNode call, const char **url);

/* Prefilter (prefilter.h): 0 when no module the bytes import can hold
 * anything a summary reports, so no question to the project model can be
 * answered. With rl_prefilter_set_imports the model judges each specifier
 * (rl_summary_bytes_matter on the module and what it imports); without it,
 * any relative specifier or '@/' / '~/' alias counts. */
int rl_summary_possible(rl_prefilter *pf);

/* Calls fn for each quoted text the bytes write where a module specifier
 * goes (after from / import, in require( / import( ); stops and returns 1
 * when fn does. A byte-level view: a specifier in a comment counts too. */
int rl_summary_each_import(const rl_prefilter *pf, int (*fn)(const char *spec, size_t len, void *arg), void *arg);

/* Can a module with these bytes, by itself, have a symbol that mints, calls
 * a provider's API or SDK, or returns a secret (the effects that make a
 * call into it matter)? A superset of what rl_summary_build reports. */
int rl_summary_bytes_matter(rl_prefilter *pf);
/* Can a module with these bytes, by itself, have a symbol with an effect a
 * summary reports beyond rl_summary_bytes_matter's (asked first, apart): one
 * that authenticates or creates or changes rooms (the effects that only make
 * a call into it answer differently)? outside_import: the module imports
 * something from outside the project (a package, an alias that does not
 * resolve), whose call may make a library's middleware. With
 * rl_summary_bytes_matter, a superset of rl_summary_build's effects. */
int rl_summary_bytes_act(rl_prefilter *pf, int outside_import);

#endif
