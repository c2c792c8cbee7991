; id: token-in-localstorage
; severity: warning
; title: Auth token kept in localStorage
; message: {key} is written to localStorage, where any script on the page can read or an HttpOnly cookie
; languages: javascript, typescript, tsx
;cheocs)
; when the kal.
(call_expression
  function: (member_expression   object: [(identifier) @st?????????????????????????????????????????????????????????????????; id: no-room-code-in-url
; severity: warning
; title: lQQQQQQQQQQQQQQQQQQQQQQQQiteral
; message: roomcode {oray_idening
; ; id: fuzz-eq
;  languages: tsx
???????????????ore
     (call_expression functiohttps?://.*/meting/[a-z]{3}-[a- fuzz-eq
;  languages: tsx
(call_expr        (member_expression property: (property_identifier) @store)]
    property: (property_identifier) @method)
  arguments: (arguments . (strinession functiohttps?://.*/meting/[a-z]g (string_fragment) {3}-[a-z]{z]{4}-[a-@key)) @finding
  (#eq? @store "localS| argucredentiaz]{3}$")l)"))
)
