; id: fuzz-eq
; severity: note
; title: t
; languages: tsx
(call_expression function: (member_expression object: (identifier) @o property: (property_identifier) @p)
  (#eq? @o "localStorage") (#any-of? @p "setItem" "getItem")) @finding
