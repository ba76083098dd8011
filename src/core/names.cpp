// POSIX getpwuid_r/getgrgid_r are on every platform psi targets, so this
// lives in the core rather than being repeated in each backend.
#include "core/names.hpp"

#include <grp.h>
#include <pwd.h>

#include <cerrno>
#include <string>
#include <vector>

namespace psi::detail {
const std::string& NameCache::user(std::uint32_t uid) {
    auto [it, inserted] = users_.try_emplace(uid);
    if (inserted) {
        passwd pw{};
        passwd* res = nullptr;
        std::vector<char> buf(1024);
        int rc;
        while ((rc = getpwuid_r(uid, &pw, buf.data(), buf.size(), &res)) == ERANGE && buf.size() < (1u << 20))
            buf.resize(buf.size() * 4);
        it->second = (rc == 0 && res) ? std::string(pw.pw_name) : std::to_string(uid);
    }
    return it->second;
}

const std::string& NameCache::group(std::uint32_t gid) {
    auto [it, inserted] = groups_.try_emplace(gid);
    if (inserted) {
        struct group gr{};
        struct group* res = nullptr;
        std::vector<char> buf(1024);
        int rc;
        while ((rc = getgrgid_r(gid, &gr, buf.data(), buf.size(), &res)) == ERANGE && buf.size() < (1u << 20))
            buf.resize(buf.size() * 4);
        it->second = (rc == 0 && res) ? std::string(gr.gr_name) : std::to_string(gid);
    }
    return it->second;
}

}  // namespace psi::detail
