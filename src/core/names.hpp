// uid/gid -> name with a per-System cache. getpwuid_r may consult NSS
// (files, LDAP, sssd): far too slow to call once per process in a listing.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

namespace psi::detail {

class NameCache {
public:
    const std::string& user(std::uint32_t uid);
    const std::string& group(std::uint32_t gid);

private:
    std::unordered_map<std::uint32_t, std::string> users_, groups_;
};

}  // namespace psi::detail
