// options_lists.cpp - the list arguments of psi-ps's options (-p, -u,
// -g, -t ...), parsed with procps's list syntax (ps/parser.c parse_list).
#include "parse_util.hpp"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>

namespace psi_ps {

using std::string_view;
std::string quoted(string_view s) {
    // Built by appends: GCC 12 at -O3 misreports "'" + std::string as an
    // overlapping memcpy (-Wrestrict), which would fail -Werror builds.
    std::string out;
    out.reserve(s.size() + 2);
    out.push_back('\'');
    out.append(s);
    out.push_back('\'');
    return out;
}

bool is_sep(char c) { return c == ' ' || c == ',' || c == '\t' || c == '\n'; }

// procps list syntax: items separated by one of " ,\t\n"; no empty item,
// but one trailing separator is tolerated.
std::vector<string_view> split_list(string_view arg, const char* what) {
    std::vector<string_view> items;
    if (arg.empty()) throw UsageError(std::string("empty ") + what + " list");
    std::size_t i = 0;
    while (i < arg.size()) {
        std::size_t j = i;
        while (j < arg.size() && !is_sep(arg[j])) ++j;
        if (j == i) throw UsageError(std::string("improper ") + what + " list " + quoted(arg));
        items.push_back(arg.substr(i, j - i));
        i = j + 1;
    }
    return items;
}

bool all_digits(string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

unsigned long long parse_number(string_view s, unsigned long long max, const std::string& bad) {
    if (!all_digits(s) || s.size() > 19) throw UsageError(bad);
    unsigned long long v = std::strtoull(std::string(s).c_str(), nullptr, 10);
    if (v > max) throw UsageError(bad);
    return v;
}

void add_pids(std::vector<int>& out, string_view arg, const char* what) {
    for (string_view item : split_list(arg, what)) {
        if (!all_digits(item)) throw UsageError(std::string("invalid ") + what + " " + quoted(item));
        unsigned long long v = parse_number(item, INT_MAX, std::string(what) + " out of range: " + std::string(item));
        if (v == 0) throw UsageError(std::string(what) + " out of range: " + std::string(item));
        out.push_back(static_cast<int>(v));
    }
}

// A user list names users or gives numeric ids (ps -u / -U).
void add_users(std::vector<std::uint32_t>& out, string_view arg) {
    for (string_view item : split_list(arg, "user")) {
        if (all_digits(item)) {
            out.push_back(static_cast<std::uint32_t>(
                parse_number(item, 0xFFFFFFFEull, "user id out of range: " + std::string(item))));
            continue;
        }
        std::string name(item);
        passwd pw{};
        passwd* found = nullptr;
        std::vector<char> buf(16384);
        int rc;
        while ((rc = getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &found)) == ERANGE && buf.size() < (1u << 20))
            buf.resize(buf.size() * 2);
        if (rc != 0 || !found) throw UsageError("unknown user " + quoted(item));
        out.push_back(pw.pw_uid);
    }
}

// A group list names groups or gives numeric ids (ps -G, --group, -g).
// Returns false (nothing added) when an item is neither, for -g's second
// reading.
bool add_groups(std::vector<std::uint32_t>& out, string_view arg) {
    std::vector<std::uint32_t> ids;
    for (string_view item : split_list(arg, "group")) {
        if (all_digits(item)) {
            if (item.size() > 10) return false;
            unsigned long long v = std::strtoull(std::string(item).c_str(), nullptr, 10);
            if (v > 0xFFFFFFFEull) return false;
            ids.push_back(static_cast<std::uint32_t>(v));
            continue;
        }
        std::string name(item);
        group gr{};
        group* found = nullptr;
        std::vector<char> buf(16384);
        int rc;
        while ((rc = getgrnam_r(name.c_str(), &gr, buf.data(), buf.size(), &found)) == ERANGE && buf.size() < (1u << 20))
            buf.resize(buf.size() * 2);
        if (rc != 0 || !found) return false;
        ids.push_back(gr.gr_gid);
    }
    out.insert(out.end(), ids.begin(), ids.end());
    return true;
}

// One terminal of a -t list, looked up as procps ps parse_tty does: an
// absolute path, else /dev/pts/NAME, /dev/NAME, /dev/ttyNAME, /dev/ptyNAME,
// /dev/NAMEnsole ("co"); "-" and "?" mean "no terminal" (device 0). The
// device number is compared with the tty_nr of /proc/PID/stat, which uses
// the same encoding as st_rdev for every device number a terminal has.
std::uint64_t parse_tty(string_view item) {
    std::string name(item);
    struct stat sb{};
    bool found = false;
    if (!name.empty() && name[0] == '/') {
        found = ::stat(name.c_str(), &sb) == 0;
    } else {
        for (const char* prefix : {"/dev/pts/", "/dev/", "/dev/tty", "/dev/pty"}) {
            if (::stat((prefix + name).c_str(), &sb) == 0) { found = true; break; }
        }
        if (!found) found = ::stat(("/dev/" + name + "nsole").c_str(), &sb) == 0;
        if (!found && (name == "-" || name == "?")) return 0;
    }
    if (!found) throw UsageError("TTY could not be found: " + quoted(item));
    if (!S_ISCHR(sb.st_mode)) throw UsageError("list member was not a TTY: " + quoted(item));
    return static_cast<std::uint64_t>(sb.st_rdev);
}

void add_ttys(std::vector<std::uint64_t>& out, string_view arg) {
    for (string_view item : split_list(arg, "terminal")) out.push_back(parse_tty(item));
}

// -g: sessions when the whole list is numeric (procps tries pids first),
// else effective groups by name or id.
void add_sessions_or_groups(Request& r, string_view arg) {
    try {
        std::vector<int> sids;
        add_pids(sids, arg, "session id");
        r.sids.insert(r.sids.end(), sids.begin(), sids.end());
        return;
    } catch (const UsageError&) {
    }
    if (!add_groups(r.egids, arg)) throw UsageError("list of session leaders OR effective group IDs was invalid: " + quoted(arg));
}

void add_group_list(std::vector<std::uint32_t>& out, string_view arg) {
    if (!add_groups(out, arg)) throw UsageError("unknown group in " + quoted(arg));
}

void add_quick(Request& r, string_view arg) {
    if (r.quick) throw UsageError("-q/--quick-pid can only be used once");
    r.quick = true;
    add_pids(r.pids, arg, "process id");
}

}  // namespace psi_ps
