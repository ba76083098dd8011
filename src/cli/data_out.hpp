// data_out.hpp - --json and --csv renderings of a listing.
#pragma once

#include <vector>

#include "layout.hpp"
#include "outbuf.hpp"

namespace psi_ps {

// JSON: an array with one object per process; keys are the field names
// (first occurrence wins), values raw numbers (KiB, seconds, epoch seconds),
// strings, arrays of strings (args) or null when psi has no value.
// -- x-threads: with thread_cols (-m), thread rows (tid set) use those
// columns and process rows `cols` (threads_after_columns, layout.hpp).
void write_json(const std::vector<Column>& cols, const std::vector<const psi::ProcessInfo*>& rows, const Env& env,
                OutBuf& out, const std::vector<Column>* thread_cols = nullptr);

// CSV (RFC 4180, CRLF line ends): a header row of field names (or the -o
// header given) unless --no-headers, then the same values as --json; text
// made terminal-safe like the text output, args joined by spaces, empty
// cells for no value.
void write_csv(const std::vector<Column>& cols, const std::vector<const psi::ProcessInfo*>& rows, const Env& env,
               bool headers, OutBuf& out, const std::vector<Column>* thread_cols = nullptr);

}  // namespace psi_ps
