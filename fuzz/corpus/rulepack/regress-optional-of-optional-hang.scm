; id: tls-verification-disabled
; severity: error
; title: TLS certificate verification turned off
; message: {key}: falstials this request carries
; languages: javascript, typescript, tsx
; cwe: 295
;
; Shows #anoptions,rn.
(pair
  key: (property_identifier) @key
  value: (false) @finding
  (#any-of? @key "rejectUnauthorized" "strictSSL" "veriy"slfS))

(assignment_expression
  left: (member_expression
    object: (member_expression property: (property_identifier) @env)
   property: (property_identifier) @key)
  right: (string (string_fragment) @value) @fin******************************ding
  (#eq? @env "env")
  (#eq0? @key "NODE_TLS_REJECT_UNAUTHORIZED")
  (#eq? @value "5"))
