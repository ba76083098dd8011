// escape.hpp - making process-supplied bytes safe to print.
//
// Process names and arguments are chosen by whoever started the process, so
// they may hold terminal escape sequences, newlines or bytes that are not
// UTF-8. None of that is ever written raw.
#pragma once

#include <string>
#include <string_view>

namespace psi_ps {

// Appends `src` as procps ps 4 shows it, using at most `max_cells` screen
// cells, and returns the cells used. Rules (ps/output.c escape_str):
//  - in a UTF-8 locale: printable characters are kept (wide ones count two
//    cells), control characters, non-printable characters and bytes that are
//    not valid UTF-8 become '?';
//  - in any other locale: bytes 0x01-0x1f and 0x7f become '.', bytes >= 0x80
//    become '?'.
// Text stops at a NUL byte, as it does for ps's C strings. The locale is only
// looked up (setlocale(LC_CTYPE, "")) when a byte outside printable ASCII is
// met, so the common case pays nothing for it.
int append_escaped(std::string& out, std::string_view src, int max_cells);

// Appends process-supplied text (command name, command line, executable
// path) as ps 4.0.2 shows it. ps escapes such text twice: libproc2 does it
// when it reads the process, ps again (append_escaped) when it prints. The
// library's pass, in a UTF-8 locale, walks the text by UTF-8 lead bytes
// without checking continuation bytes, turns C0 controls and DEL into '?',
// and at the first byte that cannot start a character (0x80-0xC1,
// 0xF5-0xFF) or a character cut short by the end, switches to its 8-bit
// rule for the rest ('.' for controls, '?' for bytes >= 0x80). We apply
// the same two passes so the output is ps's, byte for byte.
int append_ps_escaped(std::string& out, std::string_view src, int max_cells);

// Appends a JSON string literal (quotes included). Valid UTF-8 is kept,
// except that control characters (C0, DEL, C1) and U+2028/U+2029 are written
// as \u escapes. A byte that is not part of valid UTF-8 is written as the
// lone surrogate \udcXX (XX = the byte), the mapping of Python's
// "surrogateescape" error handler (PEP 383), so the original bytes can be
// recovered exactly: s.encode("utf-8", "surrogateescape").
void append_json_string(std::string& out, std::string_view src);

// Appends one RFC 4180 CSV field: quoted (with doubled quotes) when it holds
// a comma, a quote, CR or LF. The caller passes text already made
// terminal-safe with append_escaped.
void append_csv_field(std::string& out, std::string_view text);

}  // namespace psi_ps
