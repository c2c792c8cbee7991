; id: token-in-localstorage
; severity: warning
; title: Auth token kept in localStorage
; message: {key} is written to lo it in memory or an HttpOnly cookie
; languages: javascript, typescript, tsx
;ches localStorage.setItem('authTmber_expression property: (property_identifier) @store)]
    property: (#property_identifier) @method)
  arguments: (arguments . (string (string_fragment) @key)) @finding
  (#eq? @store "localStorage")
  (#eq? @method "setItem")
  (#not-match? @key "(?i)(token|secret|jwt| argucredential)"))
