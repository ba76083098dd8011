// --help, L and --list-fields.
#include <cstdio>

#include "fields.hpp"
#include "outbuf.hpp"

namespace psi_ps {

void print_help(OutBuf& out) {
    out.append(
        "Usage: psi-ps [options]\n"
        "List processes like procps ps, through the psi library.\n"
        "\n"
        "Selection (several are combined with OR; none: your processes on your terminal):\n"
        "  -e, -A              every process\n"
        "  -p, --pid LIST      process ids\n"
        "  --ppid LIST         children of these process ids\n"
        "  -u, --user LIST     effective user names or ids\n"
        "  -U, --User LIST     real user names or ids\n"
        "  -C LIST             command names (exact)\n"
        "  BSD words: a (all with a terminal), x (also without one): ps ax, ps aux;\n"
        "             p LIST, U LIST (as -p, -u); o LIST (as -o): ps axo pid,comm\n"
        "\n"
        "Format:\n"
        "  -o, --format LIST   fields, e.g. -o pid,user,comm; field=Header renames,\n"
        "                      field= hides the header, field:N sets the width\n"
        "  -f, -l, -F, -j      full / long / extra full / jobs format (combinable)\n"
        "  -y                  with -l: rss in place of flags and addr\n"
        "  --no-headers        no header line\n"
        "  -w, -ww             wide (132 columns) / unlimited output\n"
        "  --cols N            line width\n"
        "  --sort [+|-]KEY,..  sort by fields (descending with -)\n"
        "  --forest, -H        process tree (ASCII art / indentation)\n"
        "  --json              JSON array of objects (raw numbers, null = no value)\n"
        "  --csv               RFC 4180 CSV\n"
        "  BSD words: u (user), j (jobs), l (long) formats; f (forest), h (no header),\n"
        "             r (running only), w (wide)\n"
        "\n"
        "Speed:\n"
        "  --threads N         read /proc with N threads (default 0: two per CPU;\n"
        "                      listings under 256 processes use one)\n"
        "\n"
        "Information:\n"
        "  L                   list the fields (name, header)\n"
        "  --list-fields       list the fields with their width, groups and meaning\n"
        "  --help, --version\n"
        "\n"
        "Exit status: 0 listed something, 1 nothing matched, 2 usage error.\n"
        "PSI_PROCFS=DIR reads processes from another proc root.\n");
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
            std::string groups = groups_text(f.needs);
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
