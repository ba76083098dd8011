// /proc/PID/cgroup and container detection: this machine's file (a hybrid
// v1 + v2 host), then the path shapes each runtime and cgroup driver
// writes (parse_cgroup.hpp cites where each was seen).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "depth_fixture.hpp"
#include "platform/linux/parse_cgroup.hpp"

namespace {

using namespace psi::linux_proc;
using depth_test::fixture;
using RT = ContainerRuntime;

const std::string kId = "9b98bb265ea4c149d9a786380dd07716d341c3e925f2616040c6cd9ac8c4b75c";
const std::string kId2 = "34dc0b5e626f2c5c4c5170e34b10e7654ce36f0fcd532739f4445baabea03376";
const std::string kUid = "74c13223-5a00-11e9-b385-42010a80018d";
const std::string kUidUnderscored = "74c13223_5a00_11e9_b385_42010a80018d";

void expect(std::string_view path, RT runtime, std::string_view id, std::string_view pod = "") {
    Container c = detect_container(path);
    EXPECT_EQ(c.runtime, runtime) << path;
    EXPECT_EQ(c.id, id) << path;
    EXPECT_EQ(c.pod_uid, pod) << path;
}

TEST(DepthCgroup, CapturedHybridHost) {
    const std::string text = fixture("cgroup_self.txt");  // the views point into it
    auto info = parse_cgroup(text);
    ASSERT_TRUE(info.unified);
    EXPECT_EQ(*info.unified, "/");
    ASSERT_EQ(info.v1.size(), 9u);
    EXPECT_EQ(info.v1[0].id, 9u);
    EXPECT_EQ(info.v1[0].controllers, "name=systemd");
    EXPECT_EQ(info.v1[5].controllers, "memory");
    EXPECT_EQ(info.v1[5].path, "/process_api/1a4da9290751c175db9fd1c76c8c48bf");
    EXPECT_EQ(detect_container(info).runtime, RT::none);
}

TEST(DepthCgroup, PureV2AndOddLines) {
    auto info = parse_cgroup("0::/user.slice/user-1000.slice/session-3.scope\n");
    EXPECT_EQ(info.unified, "/user.slice/user-1000.slice/session-3.scope");
    EXPECT_TRUE(info.v1.empty());
    // A path holding ':' keeps it; broken lines are skipped; the reader
    // outside the cgroup namespace sees "/..".
    auto odd = parse_cgroup("3:cpu:/a:b\ngarbage\nx:cpu:/c\n4:memory:\n0::/../../sibling\n");
    ASSERT_EQ(odd.v1.size(), 1u);
    EXPECT_EQ(odd.v1[0].path, "/a:b");
    EXPECT_EQ(odd.unified, "/../../sibling");
    EXPECT_FALSE(parse_cgroup("").unified);
    std::string many;
    for (int i = 1; i <= 1000; ++i) many += std::to_string(i) + ":c:/x\n";
    EXPECT_EQ(parse_cgroup(many).v1.size(), kMaxCgroupLines);
}

TEST(DepthCgroup, Docker) {
    expect("/system.slice/docker-" + kId + ".scope", RT::docker, kId);  // systemd driver
    expect("/docker/" + kId, RT::docker, kId);                         // cgroupfs driver
    expect("/docker/" + kId2 + "/docker/" + kId, RT::docker, kId);     // docker in docker: innermost
    const std::string v1_text = "12:name=systemd:/\n11:hugetlb:/docker/" + kId + "\n0::/\n";
    auto v1 = parse_cgroup(v1_text);
    auto c = detect_container(v1);  // v2 says "/": the v1 lines decide
    EXPECT_EQ(c.runtime, RT::docker);
    EXPECT_EQ(c.id, kId);
}

TEST(DepthCgroup, KubernetesContainerd) {
    expect("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + kUidUnderscored +
               ".slice/cri-containerd-" + kId + ".scope",
           RT::containerd, kId, kUid);
    expect("/kubepods.slice/kubepods-pod" + kUidUnderscored + ".slice/cri-containerd-" + kId + ".scope",
           RT::containerd, kId, kUid);  // guaranteed QoS has no class slice
    // cgroupfs driver: a bare id under the pod names no runtime.
    expect("/kubepods/besteffort/pod" + kUid + "/" + kId2, RT::kubepods, kId2, kUid);
    expect("/kubepods/pod" + kUid + "/" + kId2, RT::kubepods, kId2, kUid);
    // The pod's own cgroup (no container below it yet).
    expect("/kubepods/burstable/pod" + kUid, RT::kubepods, "", kUid);
    // Static pods: a 32-digit hash as uid.
    expect("/kubepods/burstable/pod0123456789abcdef0123456789abcdef/" + kId, RT::kubepods, kId,
           "0123456789abcdef0123456789abcdef");
}

TEST(DepthCgroup, KubernetesDockerAndCriO) {
    expect("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + kUidUnderscored + ".slice/docker-" +
               kId + ".scope",
           RT::docker, kId, kUid);
    expect("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + kUidUnderscored + ".slice/crio-" + kId +
               ".scope",
           RT::crio, kId, kUid);
    expect("/kubepods/burstable/pod" + kUid + "/crio-" + kId, RT::crio, kId, kUid);  // cgroupfs (cri-o#812)
    // conmon, the monitor, is in the pod but not in the container.
    expect("/kubepods.slice/kubepods-pod" + kUidUnderscored + ".slice/crio-conmon-" + kId + ".scope", RT::kubepods, "",
           kUid);
}

TEST(DepthCgroup, Podman) {
    expect("/machine.slice/libpod-" + kId + ".scope", RT::podman, kId);
    expect("/machine.slice/libpod-" + kId + ".scope/container", RT::podman, kId);  // crun's sub-cgroup
    expect("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" + kId + ".scope", RT::podman, kId);
    expect("/libpod_parent/libpod-" + kId, RT::podman, kId);  // cgroupfs
    expect("/machine.slice/libpod-conmon-" + kId + ".scope", RT::none, "");
}

TEST(DepthCgroup, Lxc) {
    expect("/lxc/web1", RT::lxc, "web1");
    expect("/lxc.payload.web1", RT::lxc, "web1");  // LXC 4+
    expect("/lxc.payload/web1/init.scope", RT::lxc, "web1");
    // procps's examples: nested containers, an extra cgroup below.
    expect("/lxc/lxc-P/lxc/lxc-P-nested", RT::lxc, "lxc-P-nested");
    expect("/user.slice/user-1000.slice/session-c2.scope/lxc/lxc-U/lxc/lxc-U-nested", RT::lxc, "lxc-U-nested");
    expect("/lxc/lxc-P/lxc/lxc-P-nested/MY-NEW-CGROUP", RT::lxc, "lxc-P-nested");
    // Docker inside an LXC container: the innermost wins.
    expect("/lxc.payload.c1/system.slice/docker-" + kId + ".scope", RT::docker, kId);
    expect("/lxc.monitor.web1", RT::none, "");
}

TEST(DepthCgroup, NotContainers) {
    for (const std::string& p : std::vector<std::string>{"/", "", "/user.slice/user-1000.slice/session-3.scope", "/system.slice/docker.service",
                          "/system.slice/containerd.service", "/docker", "/docker/" + kId.substr(1),
                          "/docker/" + std::string(64, 'G'), "/system.slice/docker-" + kId + "0.scope",
                          "/pod" + kUid + "/" + kId, "/kubepods/burstable/podnot-a-uid/" + kId,
                          "/kubepods-burstable-podxyz.slice", std::string(5000, '/'), "lxc", "/lxc.payload."})
        expect(p, RT::none, "");
    // Very deep paths keep their innermost components.
    std::string deep;
    for (int i = 0; i < 500; ++i) deep += "/d";
    expect(deep + "/docker-" + kId + ".scope", RT::docker, kId);
    EXPECT_EQ(container_runtime_name(RT::crio), "cri-o");
    EXPECT_EQ(container_runtime_name(RT::none), "");
}

TEST(DepthCgroup, ProcpsLxcColumn) {
    // readproc.c's own examples, and its search order.
    EXPECT_EQ(procps_lxc_name("10:cpuset:/lxc/lxc-P/lxc/lxc-P-nested\n"), "lxc-P-nested");
    EXPECT_EQ(procps_lxc_name("10:cpuset:/user.slice/user-1000.slice/session-c2.scope/lxc/lxc-U/lxc/lxc-U-nested"),
              "lxc-U-nested");
    EXPECT_EQ(procps_lxc_name("10:cpuset:/lxc/lxc-P/lxc/lxc-P-nested/MY-NEW-CGROUP\n"), "lxc-P-nested");
    EXPECT_EQ(procps_lxc_name("2:name=systemd:/\n1:cpuset,cpu,cpuacct,devices:/lxc/lxc-P\n"), "lxc-P");
    EXPECT_EQ(procps_lxc_name("0::/lxc.payload.web1/init.scope\n"), "web1");
    EXPECT_EQ(procps_lxc_name("0::/lxc.payload/web1\n"), "web1");
    // "lxc.payload." anywhere beats an earlier line's "lxc/".
    EXPECT_EQ(procps_lxc_name("5:cpu:/lxc/old\n0::/lxc.payload.new/x\n"), "new");
    // Plain substrings: inside a longer component too; an empty name.
    EXPECT_EQ(procps_lxc_name("0::/foo/xlxc/bar\n"), "bar");
    EXPECT_EQ(procps_lxc_name("0::/lxc/\n"), "");
    EXPECT_FALSE(procps_lxc_name(fixture("cgroup_self.txt")));
    EXPECT_FALSE(procps_lxc_name("0::/lxc.monitor.web1\n"));
    EXPECT_FALSE(procps_lxc_name(""));
}

}  // namespace
