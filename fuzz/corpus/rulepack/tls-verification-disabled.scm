; id: tls-verification-disabled
; severity: error
; title: TLS certificate verification turned off
; message: {key}: false turns off certificate checks, so HTTPS no longer protects the credentials this request carries
; languages: javascript, typescript, tsx
; cwe: 295
;
; Shows #any-of? (one of several literal texts).
; Matches https.Agent({ rejectUnauthorized: false }), axios/got options, and
; the NODE_TLS_REJECT_UNAUTHORIZED='0' assignment is left to the next pattern.
(pair
  key: (property_identifier) @key
  value: (false) @finding
  (#any-of? @key "rejectUnauthorized" "strictSSL" "verifySsl"))

(assignment_expression
  left: (member_expression
    object: (member_expression property: (property_identifier) @env)
    property: (property_identifier) @key)
  right: (string (string_fragment) @value) @finding
  (#eq? @env "env")
  (#eq? @key "NODE_TLS_REJECT_UNAUTHORIZED")
  (#eq? @value "0"))
