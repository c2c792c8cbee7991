; id: no-room-code-in-url
; severity: warning
; title: Room code in a URL literal
; message: room code {code} is hard-coded in a URL
; languages: javascript, typescript, tsx
; context: client
; cwe: 200
((string (string_fragment) @code) @finding
 (#match? @code "^https?://.*/meeting/[a-z]{3}-[a-z]{4}-[a-z]{3}$"))
