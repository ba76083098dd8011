#include "escape.hpp"

#include <cctype>
#include <clocale>
#include <cstdint>
#include <cstring>
#include <cwchar>
#include <cwctype>
#include <langinfo.h>
#include <strings.h>

namespace psi_ps {

namespace {

enum class Charset { unknown, utf8, bytes };

// ps calls setlocale(LC_ALL, "") at start-up and takes its UTF-8 path only
// when nl_langinfo(CODESET) says "UTF-8" and MB_CUR_MAX > 1; we ask the same
// question, but only the first time it matters.
Charset charset() {
    static Charset cs = Charset::unknown;
    if (cs == Charset::unknown) {
        std::setlocale(LC_CTYPE, "");
        const char* enc = nl_langinfo(CODESET);
        cs = (enc && strcasecmp(enc, "UTF-8") == 0 && MB_CUR_MAX > 1) ? Charset::utf8 : Charset::bytes;
    }
    return cs;
}

bool plain_ascii(unsigned char c) { return c >= 0x20 && c < 0x7f; }

int escape_bytes(std::string& out, std::string_view src, std::size_t i, int cells, int max_cells) {
    for (; i < src.size() && cells < max_cells; ++i) {
        auto c = static_cast<unsigned char>(src[i]);
        if (c == 0) break;
        if (c >= 0x80) out.push_back('?');
        else if (c < 0x20 || c == 0x7f) out.push_back('.');
        else out.push_back(static_cast<char>(c));
        ++cells;
    }
    return cells;
}

int escape_utf8(std::string& out, std::string_view src, std::size_t i, int cells, int max_cells) {
    std::mbstate_t st{};
    while (i < src.size() && cells < max_cells) {
        auto c = static_cast<unsigned char>(src[i]);
        if (c == 0) break;
        if (c < 0x80) {
            out.push_back(std::isprint(c) ? static_cast<char>(c) : '?');
            ++i;
            ++cells;
            continue;
        }
        wchar_t wc = 0;
        std::size_t len = std::mbrtowc(&wc, src.data() + i, src.size() - i, &st);
        if (len == static_cast<std::size_t>(-1) || len == static_cast<std::size_t>(-2) || len == 0) {
            // Not UTF-8 (or cut short): one '?' per offending byte.
            st = std::mbstate_t{};
            out.push_back('?');
            ++i;
            ++cells;
        } else if (!std::iswprint(static_cast<wint_t>(wc))) {
            out.push_back('?');
            i += len;
            ++cells;
        } else {
            int w = ::wcwidth(wc);
            if (w > max_cells - cells) break;
            out.append(src.data() + i, len);
            i += len;
            if (w > 0) cells += w;
        }
    }
    return cells;
}

// Length of the valid UTF-8 sequence at s[i] (RFC 3629: no overlong forms,
// no surrogates, nothing above U+10FFFF), or 0. Also returns the code point.
std::size_t utf8_sequence(std::string_view s, std::size_t i, std::uint32_t& cp) {
    auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    auto cont = [&](std::size_t k) { return i + k < s.size() && (b(k) & 0xC0) == 0x80; };
    unsigned char c = b(0);
    if (c >= 0xC2 && c <= 0xDF) {
        if (!cont(1)) return 0;
        cp = ((c & 0x1Fu) << 6) | (b(1) & 0x3Fu);
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        if (!cont(1) || !cont(2)) return 0;
        cp = ((c & 0x0Fu) << 12) | ((b(1) & 0x3Fu) << 6) | (b(2) & 0x3Fu);
        if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (!cont(1) || !cont(2) || !cont(3)) return 0;
        cp = ((c & 0x07u) << 18) | ((b(1) & 0x3Fu) << 12) | ((b(2) & 0x3Fu) << 6) | (b(3) & 0x3Fu);
        if (cp < 0x10000 || cp > 0x10FFFF) return 0;
        return 4;
    }
    return 0;
}

void append_u_escape(std::string& out, std::uint32_t unit) {
    static const char hex[] = "0123456789abcdef";
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out.push_back(hex[(unit >> shift) & 0xF]);
}

}  // namespace

namespace {

// Bytes of the UTF-8 character a lead byte starts; -1 for a byte that
// cannot start one (continuation bytes, overlong 0xC0/0xC1, above U+10FFFF).
int utf8_lead_length(unsigned char c) {
    if (c < 0x80) return 1;
    if (c < 0xC2) return -1;
    if (c < 0xE0) return 2;
    if (c < 0xF0) return 3;
    if (c < 0xF5) return 4;
    return -1;
}

// libproc2's pass over text it reads (see append_ps_escaped).
void library_pass(std::string& s) {
    const bool utf8 = charset() == Charset::utf8;
    std::size_t i = 0;
    const std::size_t n = s.size();
    while (utf8 && i < n) {
        auto c = static_cast<unsigned char>(s[i]);
        int len = utf8_lead_length(c);
        if (len < 0 || i + static_cast<std::size_t>(len) > n) break;
        if (c < 0x20 || c == 0x7f) s[i] = '?';
        i += static_cast<std::size_t>(len);
    }
    for (; i < n; ++i) {  // 8-bit rule for the rest (or all, outside UTF-8)
        auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) s[i] = '?';
        else if (c < 0x20 || c == 0x7f) s[i] = '.';
    }
}

}  // namespace

int append_ps_escaped(std::string& out, std::string_view src, int max_cells) {
    std::size_t plain = 0;
    while (plain < src.size() && plain_ascii(static_cast<unsigned char>(src[plain]))) ++plain;
    if (plain == src.size()) return append_escaped(out, src, max_cells);
    static std::string scratch;  // reused across calls
    scratch.assign(src.substr(0, src.find('\0')));
    library_pass(scratch);
    return append_escaped(out, scratch, max_cells);
}

int append_escaped(std::string& out, std::string_view src, int max_cells) {
    std::size_t i = 0;
    int cells = 0;
    // Fast path: printable ASCII needs neither the locale nor a decoder.
    while (i < src.size() && cells < max_cells && plain_ascii(static_cast<unsigned char>(src[i]))) {
        ++i;
        ++cells;
    }
    out.append(src.data(), i);
    if (i == src.size() || cells >= max_cells || src[i] == '\0') return cells;
    if (charset() == Charset::utf8) return escape_utf8(out, src, i, cells, max_cells);
    return escape_bytes(out, src, i, cells, max_cells);
}

void append_json_string(std::string& out, std::string_view s) {
    out.push_back('"');
    std::size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (c < 0x20 || c == 0x7f) append_u_escape(out, c);
                else out.push_back(static_cast<char>(c));
            }
            ++i;
            continue;
        }
        std::uint32_t cp = 0;
        std::size_t len = utf8_sequence(s, i, cp);
        if (len == 0) {
            append_u_escape(out, 0xDC00u + c);  // surrogateescape
            ++i;
        } else if (cp <= 0x9F || cp == 0x2028 || cp == 0x2029) {
            append_u_escape(out, cp);  // C1 controls act on terminals too
            i += len;
        } else {
            out.append(s.data() + i, len);
            i += len;
        }
    }
    out.push_back('"');
}

void append_csv_field(std::string& out, std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
        out.append(text);
        return;
    }
    out.push_back('"');
    for (char c : text) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
}

}  // namespace psi_ps
