# cmake -DIN=doc.md -DOUT=doc.c -DSYM=name -P embed.cmake
# Writes a C file defining `const char SYM[]`, the bytes of IN plus a NUL.
# Hex bytes instead of a string literal: no escaping, no 4095-byte literal limit;
# each cast to char so UTF-8 bytes above 0x7f do not overflow a signed char.
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "(char)0x\\1," body "${hex}")
string(REGEX REPLACE "((\\(char\\)0x..,)(\\(char\\)0x..,)(\\(char\\)0x..,)(\\(char\\)0x..,)(\\(char\\)0x..,)(\\(char\\)0x..,)(\\(char\\)0x..,)(\\(char\\)0x..,))" "\\1\n" body "${body}")
file(WRITE "${OUT}.tmp" "/* generated from ${IN}; do not edit */\nextern const char ${SYM}[];\nconst char ${SYM}[] = {\n${body}0x00};\n")
file(RENAME "${OUT}.tmp" "${OUT}")
