// /proc/PID/cgroup and container detection; see parse_cgroup.hpp.
#include "platform/linux/parse_cgroup.hpp"

#include <array>

#include "platform/linux/parse_depth_util.hpp"

namespace psi::linux_proc {

// Qualified, not a using-directive: the unity build (cmake/PsiFastBuild.cmake)
// puts parse.cpp, whose helpers share these names, in the same TU.
namespace dd = depth_detail;

namespace {

bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// Container ids of docker, containerd, CRI-O and podman: 64 lower-case hex
// digits (a sha256, docker's and the OCI runtimes' id format).
bool is_container_id(std::string_view s) {
    if (s.size() != 64) return false;
    for (char c : s)
        if (!is_lower_hex(c)) return false;
    return true;
}

// A pod UID as it appears in a path: a UUID (8-4-4-4-12, '-' or '_') or,
// for static pods, 32 hex digits.
bool is_pod_uid(std::string_view s) {
    if (s.size() == 32) {
        for (char c : s)
            if (!is_lower_hex(c)) return false;
        return true;
    }
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        bool sep = i == 8 || i == 13 || i == 18 || i == 23;
        if (sep ? (s[i] != '-' && s[i] != '_') : !is_lower_hex(s[i])) return false;
    }
    return true;
}

std::string_view strip_suffix(std::string_view s, std::string_view suffix) {
    if (s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix) s.remove_suffix(suffix.size());
    return s;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// The path's components, at most kMaxParts of them (deeper paths keep their
// innermost kMaxParts; real ones are under 15 deep).
constexpr std::size_t kMaxParts = 64;
struct Parts {
    std::array<std::string_view, kMaxParts> v{};
    std::size_t n = 0;
};
Parts split_path(std::string_view path) {
    Parts p;
    while (!path.empty()) {
        std::size_t slash = path.find('/');
        std::string_view c = path.substr(0, slash);
        if (!c.empty()) {
            if (p.n == kMaxParts) {  // drop the outermost
                for (std::size_t i = 1; i < kMaxParts; ++i) p.v[i - 1] = p.v[i];
                --p.n;
            }
            p.v[p.n++] = c;
        }
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return p;
}

// The pod uid named by one component, or "" (kubepods_seen: an outer
// component was the cgroupfs driver's "kubepods" or systemd's
// "kubepods.slice").
std::string_view pod_uid_of(std::string_view c, bool kubepods_seen) {
    if (starts_with(c, "kubepods-") && c.size() > 6 && c.substr(c.size() - 6) == ".slice") {
        std::string_view name = c.substr(0, c.size() - 6);
        std::size_t at = name.rfind("-pod");
        if (at != std::string_view::npos && is_pod_uid(name.substr(at + 4))) return name.substr(at + 4);
        return {};
    }
    if (kubepods_seen && starts_with(c, "pod") && is_pod_uid(c.substr(3))) return c.substr(3);
    return {};
}

// A runtime's own scope or directory name around an id, innermost first.
struct Prefix {
    std::string_view prefix;
    ContainerRuntime runtime;
};
constexpr Prefix kPrefixes[] = {
    {"docker-", ContainerRuntime::docker},
    {"cri-containerd-", ContainerRuntime::containerd},
    {"crio-", ContainerRuntime::crio},
    {"libpod-", ContainerRuntime::podman},
};

}  // namespace

std::string_view container_runtime_name(ContainerRuntime r) {
    switch (r) {
        case ContainerRuntime::docker: return "docker";
        case ContainerRuntime::containerd: return "containerd";
        case ContainerRuntime::crio: return "cri-o";
        case ContainerRuntime::podman: return "podman";
        case ContainerRuntime::kubepods: return "kubepods";
        case ContainerRuntime::lxc: return "lxc";
        case ContainerRuntime::none: break;
    }
    return {};
}

CgroupInfo parse_cgroup(std::string_view text) {
    CgroupInfo info;
    std::string_view line;
    while (dd::next_line(text, line)) {
        // proc_cgroup_show (kernel/cgroup/cgroup.c): "%d:%s:%s\n"; the
        // path is the rest of the line and may itself hold ':'.
        std::size_t c1 = line.find(':');
        if (c1 == std::string_view::npos) continue;
        std::size_t c2 = line.find(':', c1 + 1);
        if (c2 == std::string_view::npos) continue;
        auto id = dd::to_unsigned<unsigned>(line.substr(0, c1));
        std::string_view controllers = line.substr(c1 + 1, c2 - c1 - 1), path = line.substr(c2 + 1);
        if (!id || path.empty()) continue;
        if (*id == 0 && controllers.empty()) {
            if (!info.unified) info.unified = path;
        } else if (*id != 0 && info.v1.size() < kMaxCgroupLines) {
            info.v1.push_back(CgroupV1{*id, controllers, path});
        }
    }
    return info;
}

Container detect_container(std::string_view path) {
    Container out;
    Parts p = split_path(path);
    // The pod, from the outside in (its slice or directory encloses the
    // containers).
    bool kubepods_seen = false;
    for (std::size_t i = 0; i < p.n && out.pod_uid.empty(); ++i) {
        std::string_view uid = pod_uid_of(p.v[i], kubepods_seen);
        if (!uid.empty()) {
            out.pod_uid.assign(uid);
            for (char& c : out.pod_uid)
                if (c == '_') c = '-';
        }
        if (p.v[i] == "kubepods" || p.v[i] == "kubepods.slice") kubepods_seen = true;
    }
    // The container, from the inside out: the innermost one wins.
    for (std::size_t k = p.n; k-- > 0;) {
        std::string_view c = p.v[k];
        std::string_view name = strip_suffix(c, ".scope");
        for (const auto& pre : kPrefixes) {
            if (starts_with(name, pre.prefix) && is_container_id(name.substr(pre.prefix.size()))) {
                out.runtime = pre.runtime;
                out.id = name.substr(pre.prefix.size());
                return out;
            }
        }
        if (is_container_id(c)) {
            // A bare id: docker's cgroupfs driver puts it under "docker";
            // under a pod it is the kubelet's cgroupfs layout, which does
            // not say which runtime made it.
            if (k > 0 && p.v[k - 1] == "docker") {
                out.runtime = ContainerRuntime::docker;
                out.id = c;
                return out;
            }
            if (!out.pod_uid.empty()) {
                out.runtime = ContainerRuntime::kubepods;
                out.id = c;
                return out;
            }
        }
        // LXC: "lxc.payload.NAME", or NAME below "lxc.payload" or "lxc".
        if (starts_with(c, "lxc.payload.") && c.size() > 12) {
            out.runtime = ContainerRuntime::lxc;
            out.id = c.substr(12);
            return out;
        }
        if (k > 0 && (p.v[k - 1] == "lxc" || p.v[k - 1] == "lxc.payload")) {
            out.runtime = ContainerRuntime::lxc;
            out.id = c;
            return out;
        }
    }
    if (!out.pod_uid.empty()) out.runtime = ContainerRuntime::kubepods;
    return out;
}

Container detect_container(const CgroupInfo& info) {
    if (info.unified) {
        Container c = detect_container(*info.unified);
        if (c.runtime != ContainerRuntime::none) return c;
    }
    for (const auto& h : info.v1) {
        Container c = detect_container(h.path);
        if (c.runtime != ContainerRuntime::none) return c;
    }
    return {};
}

std::optional<std::string_view> procps_lxc_name(std::string_view text) {
    for (std::string_view delim : {std::string_view("lxc.payload."), std::string_view("lxc.payload/"),
                                   std::string_view("lxc/")}) {
        std::size_t at = text.find(delim);
        if (at == std::string_view::npos) continue;
        // Only the line holding the first marker counts.
        std::size_t eol = text.find('\n', at);
        std::string_view line = text.substr(at, eol == std::string_view::npos ? std::string_view::npos : eol - at);
        // Nested containers: the name follows the last marker of the line.
        std::size_t name_at = delim.size();
        for (std::size_t next = line.find(delim, name_at); next != std::string_view::npos;
             next = line.find(delim, name_at))
            name_at = next + delim.size();
        std::string_view name = line.substr(name_at);
        return name.substr(0, name.find('/'));
    }
    return std::nullopt;
}

}  // namespace psi::linux_proc
