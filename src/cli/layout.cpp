#include "layout.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>  // struct winsize and TIOCGWINSZ on Solaris/illumos
#include <unistd.h>

namespace psi_ps {

namespace {
// ps never pads by more than this at once (SPACE_AMOUNT in ps/output.c).
constexpr int kMaxPad = 144;
}  // namespace

int active_columns(const std::vector<Column>& cols, int screen_cols) {
    long total = 0;
    int gap = 0;
    for (std::size_t i = 0; i < cols.size(); ++i) {
        bool last = i + 1 == cols.size();
        // An unlimited last column counts 3 cells, not its header's width.
        total += (cols[i].def->align == Align::unlimited && last) ? 3 : cols[i].width;
        total += gap;
        gap = 1;
    }
    long active = screen_cols;
    for (long k = 1;; ++k) {
        active = static_cast<long>(screen_cols) * k;
        if (active >= total || active >= kUnlimitedCols / 2) break;
    }
    return static_cast<int>(active);
}

namespace {

// The first terminal of stdout, stderr, stdin and /dev/tty with a size;
// 80x24 without one (ps/global.c set_screen_size).
winsize terminal_size() {
    winsize ws{};
    for (int fd : {STDOUT_FILENO, STDERR_FILENO, STDIN_FILENO})
        if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0) return ws;
    int fd = open("/dev/tty", O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0) {
        bool ok = ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0;
        close(fd);
        if (ok) return ws;
    }
    ws.ws_col = 80;
    ws.ws_row = 24;
    return ws;
}

// COLUMNS and LINES: a number (strtol base 0: "0x50" too) from 1 to below
// ps's line buffer; anything else is ignored.
int env_size(const char* name, int fallback) {
    const char* env = std::getenv(name);
    if (!env || !*env) return fallback;
    char* end = nullptr;
    errno = 0;
    long t = std::strtol(env, &end, 0);
    if (errno == 0 && *end == '\0' && t > 0 && t < kUnlimitedCols) return static_cast<int>(t);
    return fallback;
}

}  // namespace

int screen_rows(int rows_option) {
    if (rows_option > 0) return rows_option;
    return env_size("LINES", terminal_size().ws_row);
}

int screen_columns(int wide_count, int cols_option) {
    int cols = terminal_size().ws_col;
    if (!isatty(STDOUT_FILENO)) cols = kUnlimitedCols;
    cols = env_size("COLUMNS", cols);
    if (cols_option > 0) cols = std::min(cols_option, kUnlimitedCols);
    if (wide_count == 1 && cols < 132) cols = 132;
    if (wide_count > 1) cols = kUnlimitedCols;
    return cols;
}

void render_row(const std::vector<Column>& cols, int active_cols, const Env& env, const psi::ProcessInfo* p,
                std::string& out) {
    static std::string cell;  // reused for every cell of the listing
    int correct = 0;          // where the next column should start
    int actual = 0;           // where the line really is
    int dospace = 0;          // a separating space is owed
    for (std::size_t i = 0; i < cols.size(); ++i) {
        const Column& c = cols[i];
        const bool last = i + 1 == cols.size();
        int tmpspace = 0;
        int room = c.width;
        if (last) {
            tmpspace = correct - actual;
            if (tmpspace < 1) {
                tmpspace = dospace;
                room = active_cols - actual - tmpspace;
            } else {
                room = active_cols - std::max(correct, actual);
            }
        }
        room = std::clamp(room, 0, kUnlimitedCols - 1);

        cell.clear();
        int amount;
        if (p) {
            amount = c.def->text(env, *p, cell, room);
        } else {
            cell = c.header;
            amount = static_cast<int>(cell.size());
        }
        int leftpad = 0;
        switch (c.def->align) {
        case Align::right: leftpad = std::max(0, c.width - amount); break;
        case Align::unlimited:
            // ps keeps one character of a column that starts past the end.
            if (active_cols - actual - tmpspace < 1 && cell.size() > 1) cell.resize(1);
            break;
        case Align::left:
        case Align::user: break;
        }
        int space = correct - actual + leftpad;
        if (space < 1) space = dospace;
        space = std::min(space, kMaxPad);
        out.append(static_cast<std::size_t>(space), ' ');
        out += cell;
        if (last) {
            out.push_back('\n');
            break;
        }
        actual += space + amount;
        correct += c.width + 1;
        dospace = 1;
    }
}

}  // namespace psi_ps
