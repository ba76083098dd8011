// layout.hpp - placing cells on a line the way procps ps does.
#pragma once

#include <string>
#include <vector>

#include "fields.hpp"

namespace psi_ps {

// ps's line buffer (OUTBUF_SIZE in ps/common.h): the "unlimited" width.
inline constexpr int kUnlimitedCols = 2 * 64 * 1024;

struct Column {
    const FieldDef* def = nullptr;
    std::string header;
    int width = 0;
    bool header_set = false;  // given as field=Header
};

// -- x-threads: -m and m (ps/display.c lists_and_needs): the process rows'
// columns, with the thread-only ones printing '-', and the thread rows',
// with the process-only ones printing '-' (copies of their FieldDefs, kept
// in `blanks`, whose text is '-' and value null: ps's pr_nop). Same widths
// and headers as `cols`.
struct SplitColumns {
    std::vector<FieldDef> blanks;
    std::vector<Column> process, thread;
};
void split_columns(const std::vector<Column>& cols, SplitColumns& out);

// ps check_header_width(): the line may be several screens wide, the
// smallest multiple of the screen width that holds all the columns.
int active_columns(const std::vector<Column>& cols, int screen_cols);

// -- w-status: ps's wide signal masks (fields_status.cpp): widens the signal
// columns to 16 cells when the line has room; true when it did.
bool widen_signal_columns(std::vector<Column>& cols, int screen_cols);

// ps's screen width: the terminal's (80 if unknown), unlimited when stdout
// is not a terminal, COLUMNS when set, then -w (at least 132) / -ww
// (unlimited) / --cols N.
int screen_columns(int wide_count, int cols_option);

// -- x-bsd: ps's screen height, for --headers (ps/global.c set_screen_size):
// the terminal's rows (of stdout, stderr, stdin or /dev/tty; 24 if none),
// LINES when set, then --rows N --
int screen_rows(int rows_option);

// Appends one line: the header when `p` is null. Each cell goes where ps
// puts it (ps/output.c show_one_proc): right-aligned cells end at their
// column's edge, left-aligned ones start after one space, a cell wider than
// its column pushes the following ones right until a later short cell
// absorbs the excess, and the last cell runs to the end of the line.
void render_row(const std::vector<Column>& cols, int active_cols, const Env& env, const psi::ProcessInfo* p,
                std::string& out);

}  // namespace psi_ps
