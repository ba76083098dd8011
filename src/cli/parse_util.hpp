// parse_util.hpp - pieces of the command-line parser shared by its files:
// options.cpp (UNIX and GNU options, the overall rules), options_lists.cpp
// (list arguments), options_bsd.cpp (BSD words) and format.cpp (built-in
// formats).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "options.hpp"

namespace psi_ps {

std::string quoted(std::string_view s);
bool all_digits(std::string_view s);
// procps list syntax: items separated by one of " ,\t\n".
std::vector<std::string_view> split_list(std::string_view arg, const char* what);
unsigned long long parse_number(std::string_view s, unsigned long long max, const std::string& bad);

void add_pids(std::vector<int>& out, std::string_view arg, const char* what);
void add_users(std::vector<std::uint32_t>& out, std::string_view arg);
void add_ttys(std::vector<std::uint64_t>& out, std::string_view arg);
void add_sessions_or_groups(Request& r, std::string_view arg);
void add_group_list(std::vector<std::uint32_t>& out, std::string_view arg);
void add_quick(Request& r, std::string_view arg);

FormatItem parse_format_item(std::string_view item);
void add_format(std::vector<FormatItem>& out, std::string_view arg);
// --sort and BSD k: ps takes one sort option only ("multiple sort options").
void add_sort(Request& r, std::string_view arg);

// h, --no-headers (repeat false), --headers (true): one of them only.
void set_heading(Request& r, bool repeat);

// Options that take a value get it from the rest of the word or the next one.
struct ArgCursor {
    int argc;
    char** argv;
    int i = 1;
    std::string_view take(const std::string& opt) {
        if (i + 1 >= argc) throw UsageError("option " + quoted(opt) + " needs a value");
        return argv[++i];
    }
    bool has_next() const { return i + 1 < argc; }
};

// One BSD word ("aux", "axo pid,comm"); second_chance: a dashed word read
// as BSD letters ("ps -aux"), as procps's second parse does.
void bsd_options(Request& r, std::string_view arg, ArgCursor& cur, bool second_chance);
// S: the %cpu sort keys take dead children's time too (format.cpp).
void apply_sort_modifiers(Request& r);
// BSD O, once every word is read (whether it sorts depends on a --sort or k
// anywhere on the line).
void resolve_bsd_O(Request& r);

}  // namespace psi_ps
