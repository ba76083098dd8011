// --help, L and --list-fields.
#include <cstdio>

#include "fields.hpp"
#include "outbuf.hpp"

namespace psi_ps {

// The text is src/cli/psi-ps.help, made into a string literal at build time
// (cmake/PsiHelp.cmake), the same file the man page psi-ps.1 is made from.
void print_help(OutBuf& out) {
    static constexpr char kHelp[] =
#include "help_text.inc"
        ;
    out.append(kHelp);
}

void print_fields(OutBuf& out, bool detailed) {
    std::string& o = out.str();
    char line[256];
    if (detailed) {
        std::snprintf(line, sizeof line, "%-12s %-8s %5s  %-18s %s\n", "FIELD", "HEADER", "WIDTH", "GROUPS", "MEANING");
        o += line;
    }
    for (const FieldDef& f : all_fields()) {
        std::string name(f.name), header(f.header);
        if (detailed) {
            std::string groups = f.needs.empty() ? std::string("-") : psi::groups_text(f.needs);
            std::string help(f.help);
            std::snprintf(line, sizeof line, "%-12s %-8s %5d  %-18s %s\n", name.c_str(), header.c_str(), f.width,
                          groups.c_str(), help.c_str());
        } else {
            // procps's `ps L` layout: "%-12.12s %-8.8s".
            std::snprintf(line, sizeof line, "%-12.12s %-8.8s\n", name.c_str(), header.c_str());
        }
        o += line;
    }
}

}  // namespace psi_ps
