; id: token-in-localstorage
; severity: warning
; title: Auth token kept in localStorage
; message: {key} is written to localStorage, where any script on the page can read it; keep it in memory or an HttpOnly cookie
; languages: javascript, typescript, tsx
; context: client, unknown
; cwe: 922
;
; Shows #match? (a PCRE2 regex on a capture) and #eq?.
; Matches localStorage.setItem('authToken', token) and window.localStorage.setItem(...)
; when the key looks like a credential.
(call_expression
  function: (member_expression
    object: [(identifier) @store
             (member_expression property: (property_identifier) @store)]
    property: (property_identifier) @method)
  arguments: (arguments . (string (string_fragment) @key)) @finding
  (#eq? @store "localStorage")
  (#eq? @method "setItem")
  (#match? @key "(?i)(token|secret|jwt|credential)"))
