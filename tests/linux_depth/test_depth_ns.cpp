// The cgroup and ns groups end to end (w-ns): parse_ns_link on bytes, the
// Linux reader over fixture trees with each runtime's cgroup paths and
// nsfs-like links, and this process against the kernel.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "platform/linux/parse_ns.hpp"
#include "proc_fixture.hpp"
#include "psi/fields.hpp"
#include "psi/system.hpp"

namespace {

using psi::AttrStatus;
using psi::Group;
using psi::NsType;
using psi::linux_proc::ns_link_type;
using psi::linux_proc::parse_ns_link;

TEST(DepthNs, LinkTargets) {
    EXPECT_EQ(parse_ns_link("uts:[4026531838]", "uts"), 4026531838u);
    EXPECT_EQ(parse_ns_link("pid:[1]", "pid"), 1u);
    EXPECT_EQ(parse_ns_link("cgroup:[18446744073709551615]", "cgroup"), UINT64_MAX);
    EXPECT_FALSE(parse_ns_link("cgroup:[18446744073709551616]", "cgroup"));  // 2^64
    EXPECT_FALSE(parse_ns_link("cgroup:[99999999999999999999]", "cgroup"));
    EXPECT_FALSE(parse_ns_link("net:[123]", "uts"));    // another type
    EXPECT_FALSE(parse_ns_link("uts:[123", "uts"));     // cut short
    EXPECT_FALSE(parse_ns_link("uts:[]", "uts"));
    EXPECT_FALSE(parse_ns_link("uts:[12a]", "uts"));
    EXPECT_FALSE(parse_ns_link("uts:[-1]", "uts"));
    EXPECT_FALSE(parse_ns_link("uts[1]", "uts"));
    EXPECT_FALSE(parse_ns_link("utsx:[1]", "uts"));
    EXPECT_FALSE(parse_ns_link("", "uts"));
    EXPECT_FALSE(parse_ns_link("uts:[1]", ""));
    EXPECT_EQ(ns_link_type("pid_for_children"), "pid");
    EXPECT_EQ(ns_link_type("time_for_children"), "time");
    EXPECT_EQ(ns_link_type("uts"), "uts");
    EXPECT_EQ(ns_link_type("_for_children"), "_for_children");
}

constexpr psi::Groups kBoth = Group::cgroup | Group::ns;

const std::string kId = "9b98bb265ea4c149d9a786380dd07716d341c3e925f2616040c6cd9ac8c4b75c";

psi::ProcessInfo read_one(const psi_test::ProcFixture& fx, int pid, psi::Groups g = kBoth) {
    psi::System sys = psi_test::open_fixture(fx);
    return sys.process(pid, g);
}

// Every namespace link, with inodes 100 + the type's index.
void add_ns_links(psi_test::ProcFixture& fx, int pid, bool with_time = true) {
    for (std::size_t i = 0; i < psi::kNsTypeCount; ++i) {
        std::string name(psi::ns_type_names[i]);
        if (!with_time && name.rfind("time", 0) == 0) continue;
        fx.symlink(std::to_string(pid) + "/ns/" + name,
                   std::string(ns_link_type(name)) + ":[" + std::to_string(100 + i) + "]");
    }
}

TEST(DepthNsReader, DockerSystemdDriverOnHybridHost) {
    psi_test::ProcFixture fx;
    fx.add_system_files();
    fx.add_process(10, "nginx");
    fx.write("10/cgroup",
             "12:pids:/system.slice/docker-" + kId + ".scope\n"
             "4:memory:/system.slice/docker-" + kId + ".scope\n"
             "1:name=systemd:/system.slice/docker-" + kId + ".scope\n"
             "0::/system.slice/docker-" + kId + ".scope\n");
    add_ns_links(fx, 10);
    psi::ProcessInfo p = read_one(fx, 10);
    ASSERT_TRUE(p.depth().cgroup.ok());
    EXPECT_EQ(*p.depth().cgroup.get(), "/system.slice/docker-" + kId + ".scope");
    ASSERT_TRUE(p.depth().cgroups.ok());
    ASSERT_EQ(p.depth().cgroups.get()->size(), 3u);
    EXPECT_EQ((*p.depth().cgroups.get())[0], (psi::CgroupEntry{12, "pids", "/system.slice/docker-" + kId + ".scope"}));
    EXPECT_EQ((*p.depth().cgroups.get())[2].controllers, "name=systemd");
    EXPECT_EQ(p.depth().container_runtime.value(), "docker");
    EXPECT_EQ(p.depth().container_id.value(), kId);
    EXPECT_EQ(p.depth().pod_uid.value(), "");
    EXPECT_EQ(p.depth().lxc_name.status(), AttrStatus::not_available);
    ASSERT_TRUE(p.depth().namespaces.ok());
    for (std::size_t i = 0; i < psi::kNsTypeCount; ++i) EXPECT_EQ(p.depth().namespaces.get()->inode[i], 100 + i);
    EXPECT_EQ((*p.depth().namespaces.get())[NsType::uts], 108u);
}

TEST(DepthNsReader, KubepodsCgroupfsAndCrioSystemd) {
    psi_test::ProcFixture fx;
    fx.add_system_files();
    const std::string uid = "74c13223-5a00-11e9-b385-42010a80018d";
    fx.add_process(11, "app");
    fx.write("11/cgroup", "0::/kubepods/besteffort/pod" + uid + "/" + kId + "\n");
    fx.add_process(12, "app");
    fx.write("12/cgroup", "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod74c13223_5a00_11e9_b385"
                          "_42010a80018d.slice/crio-" + kId + ".scope\n");
    fx.add_process(13, "podman");
    fx.write("13/cgroup", "0::/machine.slice/libpod-" + kId + ".scope/container\n");
    psi::ProcessInfo a = read_one(fx, 11, Group::cgroup);
    EXPECT_EQ(a.depth().container_runtime.value(), "kubepods");
    EXPECT_EQ(a.depth().container_id.value(), kId);
    EXPECT_EQ(a.depth().pod_uid.value(), uid);
    EXPECT_TRUE(a.depth().cgroups.ok());
    EXPECT_TRUE(a.depth().cgroups.get()->empty());
    psi::ProcessInfo b = read_one(fx, 12, Group::cgroup);
    EXPECT_EQ(b.depth().container_runtime.value(), "cri-o");
    EXPECT_EQ(b.depth().container_id.value(), kId);
    EXPECT_EQ(b.depth().pod_uid.value(), uid);
    psi::ProcessInfo c = read_one(fx, 13, Group::cgroup);
    EXPECT_EQ(c.depth().container_runtime.value(), "podman");
    // Only the cgroup group was asked for: the namespaces stay unread.
    EXPECT_EQ(c.depth().namespaces.status(), AttrStatus::not_read);
}

TEST(DepthNsReader, LxcAndV1OnlyHost) {
    psi_test::ProcFixture fx;
    fx.add_system_files();
    fx.add_process(20, "init");
    // LXC 4 on a v1-only host: no "0::" line, so no unified path.
    fx.write("20/cgroup", "2:memory:/lxc.payload.web1/init.scope\n1:name=systemd:/lxc.payload.web1/init.scope\n");
    psi::ProcessInfo p = read_one(fx, 20, Group::cgroup);
    EXPECT_EQ(p.depth().cgroup.status(), AttrStatus::not_available);
    EXPECT_EQ(p.depth().cgroups.get()->size(), 2u);
    EXPECT_EQ(p.depth().container_runtime.value(), "lxc");
    EXPECT_EQ(p.depth().container_id.value(), "web1");
    EXPECT_EQ(p.depth().lxc_name.value(), "web1");
}

TEST(DepthNsReader, HostProcessIsInNoContainer) {
    psi_test::ProcFixture fx;
    fx.add_system_files();
    fx.add_process(30, "sshd");
    fx.write("30/cgroup", "0::/system.slice/ssh.service\n");
    psi::ProcessInfo p = read_one(fx, 30, Group::cgroup);
    EXPECT_EQ(p.depth().cgroup.value(), "/system.slice/ssh.service");
    EXPECT_EQ(p.depth().container_runtime.value(), "");
    EXPECT_EQ(p.depth().container_id.value(), "");
    EXPECT_EQ(p.depth().pod_uid.value(), "");
}

TEST(DepthNsReader, MissingFilesAreNotAvailable) {
    // No cgroup file, no ns directory: the process is still there (its stat
    // reads), so the failures are the attributes' own.
    psi_test::ProcFixture fx;
    fx.add_system_files();
    fx.add_process(40, "prog");
    psi::ProcessInfo p = read_one(fx, 40);
    for (auto s : {p.depth().cgroup.status(), p.depth().cgroups.status(), p.depth().container_id.status(), p.depth().container_runtime.status(),
                   p.depth().pod_uid.status(), p.depth().lxc_name.status(), p.depth().namespaces.status()})
        EXPECT_EQ(s, AttrStatus::not_available);
    EXPECT_TRUE(p.groups_read.contains(kBoth));
}

TEST(DepthNsReader, OldKernelWithoutTimeNamespaces) {
    psi_test::ProcFixture fx;
    fx.add_system_files();
    fx.add_process(50, "prog");
    add_ns_links(fx, 50, /*with_time=*/false);
    psi::ProcessInfo p = read_one(fx, 50, Group::ns);
    ASSERT_TRUE(p.depth().namespaces.ok());
    EXPECT_EQ((*p.depth().namespaces.get())[NsType::time], 0u);
    EXPECT_EQ((*p.depth().namespaces.get())[NsType::time_for_children], 0u);
    EXPECT_EQ((*p.depth().namespaces.get())[NsType::ipc], 100u);
}

TEST(DepthNsReader, DamagedLinksAreSkipped) {
    psi_test::ProcFixture fx;
    fx.add_system_files();
    fx.add_process(60, "prog");
    fx.symlink("60/ns/uts", "net:[5]");   // another type's target
    fx.symlink("60/ns/ipc", "ipc:[x]");
    fx.symlink("60/ns/mnt", "mnt:[7]");
    psi::ProcessInfo p = read_one(fx, 60, Group::ns);
    ASSERT_TRUE(p.depth().namespaces.ok());
    EXPECT_EQ((*p.depth().namespaces.get())[NsType::uts], 0u);
    EXPECT_EQ((*p.depth().namespaces.get())[NsType::ipc], 0u);
    EXPECT_EQ((*p.depth().namespaces.get())[NsType::mnt], 7u);
}

TEST(DepthNsReader, ZombieHasNoNamespaces) {
    psi_test::ProcFixture fx;
    fx.add_system_files();
    psi_test::StatFields z;
    z.state = 'Z';
    fx.add_process(70, "defunct", z);
    fx.mkdir("70/ns");  // the links exist but readlink fails (no nsproxy)
    psi::ProcessInfo p = read_one(fx, 70, Group::ns);
    EXPECT_EQ(p.depth().namespaces.status(), AttrStatus::not_available);
}

TEST(DepthNsReader, RegistryRows) {
    for (psi::AttrId id : {psi::AttrId::cgroup, psi::AttrId::cgroups, psi::AttrId::container_id,
                           psi::AttrId::container_runtime, psi::AttrId::pod_uid, psi::AttrId::lxc_name})
        EXPECT_EQ(psi::attr_groups(id), psi::Groups(Group::cgroup)) << psi::attr_info(id).name;
    EXPECT_EQ(psi::attr_groups(psi::AttrId::namespaces), psi::Groups(Group::ns));
    EXPECT_EQ(psi::attr_info(psi::AttrId::namespaces).os, psi::os::on_linux);
    // Never read by default.
    EXPECT_FALSE(psi::groups::all.has(Group::cgroup));
    EXPECT_FALSE(psi::groups::all.has(Group::ns));
}

std::string slurp(const char* path) {
    std::ifstream f(path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

TEST(DepthNsLive, SelfAgainstTheKernel) {
    psi::System sys;
    psi::ProcessInfo p = sys.process(static_cast<int>(::getpid()), kBoth);
    ASSERT_TRUE(p.depth().namespaces.ok());
    for (std::size_t i = 0; i < psi::kNsTypeCount; ++i) {
        std::string path = "/proc/self/ns/" + std::string(psi::ns_type_names[i]);
        struct stat sb{};
        if (::stat(path.c_str(), &sb) != 0) {
            EXPECT_EQ(p.depth().namespaces.get()->inode[i], 0u) << path;
            continue;
        }
        EXPECT_EQ(p.depth().namespaces.get()->inode[i], static_cast<std::uint64_t>(sb.st_ino)) << path;
    }
    // The file's lines, rebuilt from the attributes.
    const std::string text = slurp("/proc/self/cgroup");
    std::string rebuilt;
    ASSERT_TRUE(p.depth().cgroups.ok());
    for (const psi::CgroupEntry& h : *p.depth().cgroups.get())
        rebuilt += std::to_string(h.id) + ":" + h.controllers + ":" + h.path + "\n";
    if (p.depth().cgroup.ok()) rebuilt += "0::" + *p.depth().cgroup.get() + "\n";
    else EXPECT_EQ(text.find("0::"), std::string::npos);
    EXPECT_EQ(rebuilt, text);
}

}  // namespace
