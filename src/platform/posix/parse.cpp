// Release numbers and mount hosts (parse.hpp): one behaviour for every OS.
#include "platform/posix/parse.hpp"

#include <climits>

namespace psi::posix {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "[user@]host[:port]" or "[user@][v6addr][:port]" -> host.
std::string_view strip_user_and_port(std::string_view authority) {
    if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
    if (!authority.empty() && authority.front() == '[') {
        auto close = authority.find(']');
        return close == std::string_view::npos ? std::string_view{} : authority.substr(1, close - 1);
    }
    return authority.substr(0, authority.find(':'));
}

}  // namespace

std::vector<int> release_numbers(std::string_view release) {
    std::vector<int> out;
    std::size_t i = 0;
    while (i < release.size() && is_digit(release[i])) {
        int v = 0;
        for (; i < release.size() && is_digit(release[i]); ++i) {
            const int d = release[i] - '0';
            v = v > (INT_MAX - d) / 10 ? INT_MAX : v * 10 + d;  // saturates
        }
        out.push_back(v);
        if (i < release.size() && release[i] == '.') ++i;
        else break;
    }
    return out;
}

std::optional<int> decimal_value(std::string_view text) {
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n'; };
    while (!text.empty() && blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && blank(text.back())) text.remove_suffix(1);
    if (text.empty()) return std::nullopt;
    int v = 0;
    for (char c : text) {
        if (!is_digit(c)) return std::nullopt;
        const int d = c - '0';
        if (v > (INT_MAX - d) / 10) return std::nullopt;
        v = v * 10 + d;
    }
    return v;
}

std::string mount_host(std::string_view device) {
    // "scheme://..." URL: keep the "//..." part (the scheme is letters, so a
    // path's "/a://b" or "host:/x" do not match).
    if (auto scheme = device.find("://"); scheme != std::string_view::npos && scheme > 0 &&
                                          device.substr(0, scheme).find_first_of("/@[") == std::string_view::npos)
        device.remove_prefix(scheme + 1);
    if (device.size() > 2 && device[0] == '/' && device[1] == '/') {
        device.remove_prefix(2);
        return std::string(strip_user_and_port(device.substr(0, device.find('/'))));
    }
    if (device.empty() || device[0] == '/') return {};  // a local path
    // "[user@]host:path" or "[user@][v6addr]:path": the host ends at the
    // first ':' after the user part and the brackets, before any '/'
    // ("dev/x:y" is no host; "map auto_home" has no colon).
    const std::size_t slash = device.find('/');
    std::size_t start = 0;
    if (auto at = device.rfind('@', slash); at != std::string_view::npos) start = at + 1;
    std::size_t from = start;
    if (from < device.size() && device[from] == '[') {
        from = device.find(']', from);
        if (from == std::string_view::npos) return {};
    }
    auto colon = device.find(':', from);
    if (colon == std::string_view::npos || colon == start || slash < colon) return {};
    return std::string(strip_user_and_port(device.substr(0, colon)));
}

}  // namespace psi::posix
