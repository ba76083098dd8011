// Pure parser for /proc/PID/cgroup and container detection from cgroup
// paths (issue 12: cgroup, cgroups, container_runtime, container_id, pod
// uid). No OS headers; unit tested and fuzzed on bytes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace psi::linux_proc {

// One line of /proc/PID/cgroup (cgroups(7)): "hierarchy-ID:controller-
// list:cgroup-path". The v2 (unified) hierarchy is the line "0::PATH";
// v1 hierarchies have an ID > 0 and a controller list ("cpu,cpuacct",
// "name=systemd"). Paths are relative to the reader's cgroup namespace
// root and may start with "/.." when the process is outside it.
struct CgroupV1 {
    unsigned id = 0;
    std::string_view controllers;
    std::string_view path;
};
struct CgroupInfo {
    std::optional<std::string_view> unified;  // the "0::" line's path
    std::vector<CgroupV1> v1;                 // in file order
};
// The views point into the parsed text, which must outlive the result.
// Malformed lines (no two ':', a non-decimal ID) are skipped; at most
// kMaxCgroupLines v1 lines are kept (the kernel has 16 controllers at most,
// plus named hierarchies), so the work is bounded by the text length.
inline constexpr std::size_t kMaxCgroupLines = 256;
CgroupInfo parse_cgroup(std::string_view text);

enum class ContainerRuntime {
    none,
    docker,      // dockerd/moby: "docker-<id>.scope" or "/docker/<id>"
    containerd,  // containerd's CRI plugin: "cri-containerd-<id>.scope"
    crio,        // CRI-O: "crio-<id>.scope" or cgroupfs "crio-<id>"
    podman,      // libpod: "libpod-<id>.scope" or cgroupfs "libpod-<id>"
    kubepods,    // a Kubernetes pod whose path does not name the runtime
    lxc,         // LXC/Incus: "/lxc/NAME", "lxc.payload.NAME"
};
// "docker", "containerd", "cri-o", "podman", "kubepods", "lxc"; "" for none.
std::string_view container_runtime_name(ContainerRuntime r);

struct Container {
    ContainerRuntime runtime = ContainerRuntime::none;
    std::string_view id;  // 64 hex digits, or the LXC container's name; a view into the path
    std::string pod_uid;  // Kubernetes pod UID with dashes ("" when none)
};

// What one cgroup path says about the container the process runs in. The
// innermost container wins (docker in LXC, docker in docker). Shapes
// recognised, systemd cgroup driver then cgroupfs driver:
// - docker: "/system.slice/docker-<64hex>.scope"; "/docker/<64hex>"
//   (both seen in /proc/self/cgroup, nginx-proxy/docker-gen#186).
// - containerd (CRI): ".../kubepods-besteffort-pod<uid>.slice/
//   cri-containerd-<64hex>.scope"; with cgroupfs its containers are
//   bare ids under the pod ("/kubepods/besteffort/pod<uid>/<64hex>"), which
//   names no runtime: runtime kubepods.
// - CRI-O: "crio-<64hex>.scope" (systemd), "crio-<64hex>" (cgroupfs, since
//   cri-o/cri-o#812); "crio-conmon-<id>" is the monitor, not the container.
// - podman: "/machine.slice/libpod-<64hex>.scope", with crun an extra
//   "/container" below it (falcosecurity/libs#1613); rootless under
//   "user@UID.service"; cgroupfs "/libpod_parent/libpod-<64hex>";
//   "libpod-conmon-<id>" is the monitor.
// - Kubernetes pod uid: systemd "kubepods-pod<uid>.slice" (guaranteed QoS)
//   or "kubepods-<qos>-pod<uid>.slice" with the uid's '-' written as '_';
//   cgroupfs "/kubepods/pod<uid>/" or "/kubepods/<qos>/pod<uid>/"
//   (kinvolk/traceloop#34 lists both). UIDs are 36-character UUIDs, or 32
//   hex digits for static pods (a hash of the manifest).
// - LXC: the name after the last "lxc.payload." (LXC 4+), "lxc.payload/"
//   (3.1-3.2) or "lxc/" (older), as procps's lxc_containers() reads it;
//   "lxc.monitor.NAME" is LXC's monitor, outside the container.
Container detect_container(std::string_view path);
// The unified path first, then each v1 path in order; the first path that
// names a container or pod wins.
Container detect_container(const CgroupInfo& info);

// procps ps's LXC column, byte for byte (library/readproc.c lxc_containers,
// procps-ng 4.0): over the whole cgroup text, the first line holding
// "lxc.payload." (else "lxc.payload/", else "lxc/", plain substrings); in
// that line, the text after the last such marker up to the next '/' or the
// line's end. nullopt when no marker occurs (ps prints "-"); the name may be
// empty. It differs from detect_container's LXC rule on odd paths (a marker
// inside a longer component, "xlxc/"), which is why psi-ps should use this.
std::optional<std::string_view> procps_lxc_name(std::string_view cgroup_text);

}  // namespace psi::linux_proc
