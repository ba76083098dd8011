// uid/gid -> name with a per-System cache. getpwuid_r may consult NSS
// (files, LDAP, sssd): far too slow to call once per process in a listing.
#pragma once

#include <cstdint>
#include <string>
#include <system_error>
#include <unordered_map>
#include <utility>

namespace psi::detail {

class NameCache {
public:
    const std::string& user(std::uint32_t uid);
    const std::string& group(std::uint32_t gid);

    // Zone id -> name, or the error the lookup gave; `lookup(id, name)` (a
    // backend call) runs once per id and System.
    template <class Lookup>
    const std::pair<std::error_code, std::string>& zone(int id, Lookup&& lookup) {
        auto [it, inserted] = zones_.try_emplace(id);
        if (inserted) it->second.first = lookup(id, it->second.second);
        return it->second;
    }

private:
    std::unordered_map<std::uint32_t, std::string> users_, groups_;
    std::unordered_map<int, std::pair<std::error_code, std::string>> zones_;
};

}  // namespace psi::detail
