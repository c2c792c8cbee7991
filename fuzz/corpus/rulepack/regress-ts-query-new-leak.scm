; id: tls-verification-disabled
; severity: error
; title: TLS certificate verification turned off
; message: {key}: false turns off certificate checks, so HTTPS no longer protects the credentials this request carries
; languages: javascript, typescript, tsx
erty: (property_identifier) @env)
    property: (property_identifier) @key)
  right: (string (string_fragment) @value) @finding
  (#eq? @env "env")
  (#eq? @key "NODE_TLS_REJECT_UNAUTHORIZED")
  (#eq? @value "0"))
