// Fixture trees, part 4: the system-wide files under the proc root. A
// container pointing psi at a host's proc must get the host's load and
// mounts, so these are read relative to the root, not from fixed paths.
#include <gtest/gtest.h>

#include <sys/statvfs.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <string>
#include <vector>

#include "proc_fixture.hpp"
#include "psi/psi.hpp"

namespace {

using psi::errc;
using psi_test::ProcFixture;
using psi_test::open_fixture;

const psi::MountInfo* find_mount(const std::vector<psi::MountInfo>& v, const std::string& mountpoint) {
    auto it = std::find_if(v.begin(), v.end(), [&](const psi::MountInfo& m) { return m.mountpoint == mountpoint; });
    return it == v.end() ? nullptr : &*it;
}

TEST(FixtureSystem, LoadavgFromProcRoot) {
    ProcFixture fx;
    fx.add_system_files();  // loadavg: "0.50 1.25 2.75 2/345 6789"
    fx.add_process(1, "init");
    psi::System sys = open_fixture(fx);
    const psi::LoadAvg l = sys.loadavg();
    EXPECT_DOUBLE_EQ(l.one, 0.50);
    EXPECT_DOUBLE_EQ(l.five, 1.25);
    EXPECT_DOUBLE_EQ(l.fifteen, 2.75);
}

TEST(FixtureSystem, LoadavgGarbageOrMissing) {
    ProcFixture fx;
    fx.add_process(1, "init");
    {
        psi::System sys = open_fixture(fx);
        std::error_code ec;
        EXPECT_NO_THROW((void)sys.loadavg(ec));
        EXPECT_TRUE(static_cast<bool>(ec)) << "no loadavg file, yet no error";
        EXPECT_THROW((void)sys.loadavg(), psi::Error);
    }
    for (const char* text : {"", "nonsense\n", "1.0 2.0\n", "-- -- --\n"}) {
        SCOPED_TRACE(testing::Message() << "loadavg \"" << text << "\"");
        fx.write("loadavg", text);
        psi::System sys = open_fixture(fx);
        std::error_code ec;
        EXPECT_NO_THROW((void)sys.loadavg(ec));
        EXPECT_EQ(ec, errc::parse_error) << ec.message();
        EXPECT_THROW((void)sys.loadavg(), psi::Error);
    }
}

// stat field 7 is the kernel's encoded dev_t: minor bits 0-7 and 20-31,
// major bits 8-19 (proc_pid_stat(5)). Names come from the fixed majors of
// devices.txt and the kernel's tty driver table, /proc/tty/drivers.
TEST(FixtureSystem, TerminalNames) {
    ProcFixture fx;
    fx.write("tty/drivers",
             "/dev/tty             /dev/tty        5       0 system:/dev/tty\n"
             "/dev/console         /dev/console    5       1 system:console\n"
             "/dev/ptmx            /dev/ptmx       5       2 system\n"
             "/dev/vc/0            /dev/vc/0       4       0 system:vtmaster\n"
             "serial               /dev/ttyS       4 64-95 serial\n"
             "pty_slave            /dev/pts      136 0-1048575 pty:slave\n"
             "pty_master           /dev/ptm      128 0-1048575 pty:master\n"
             "unknown              /dev/tty        4 1-63 console\n");
    struct Case {
        int pid;
        long long tty_nr;
        const char* terminal;
    };
    const Case cases[] = {
        {10, (136 << 8) | 0, "/dev/pts/0"},
        {11, (136 << 8) | 255, "/dev/pts/255"},
        // pts 300: minor 0x12c, its high bits (0x1) go to bits 20-31.
        {12, (1 << 20) | (136 << 8) | 0x2c, "/dev/pts/300"},
        {13, (4 << 8) | 1, "/dev/tty1"},
        {14, (4 << 8) | 64, "/dev/ttyS0"},
        {15, (4 << 8) | 70, "/dev/ttyS6"},
        {16, 0, ""},
    };
    for (const Case& c : cases) {
        psi_test::StatFields f;
        f.tty_nr = c.tty_nr;
        fx.add_process(c.pid, "t", f);
    }
    psi::System sys = open_fixture(fx);
    for (const Case& c : cases) {
        SCOPED_TRACE(testing::Message() << "tty_nr " << c.tty_nr);
        const psi::ProcessInfo p = sys.process(c.pid, psi::Group::stat);
        EXPECT_EQ(p.tty_dev.value("tty_dev"), static_cast<std::uint64_t>(c.tty_nr));
        EXPECT_EQ(p.terminal.value_or("<n/a>"), c.terminal);
    }
}

class FixtureMounts : public testing::Test {
protected:
    void SetUp() override {
        fx.add_process(1, "init");
        // fstab(5) format; the kernel writes space, tab, newline and
        // backslash in paths as octal escapes (\040 for ' ').
        fx.write("mounts",
                 "/dev/vdz / ext4 rw,relatime 0 0\n"
                 "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"
                 "server:/export /mnt/nfs nfs4 rw,relatime,vers=4.2,addr=10.0.0.1 0 0\n"
                 "/dev/vdy /mnt/with\\040space ext4 ro 0 0\n"
                 "//fileserver/share /mnt/smb cifs rw 0 0\n"
                 "this line is garbage\n"
                 "\n"
                 "tmpfs /psi-test-no-such-mountpoint tmpfs rw 0 0\n"
                 "portal /tmp fuse.portal rw,nosuid,nodev 0 0\n");
    }
    ProcFixture fx;
};

TEST_F(FixtureMounts, LocalOnlyByDefault) {
    psi::System sys = open_fixture(fx);
    std::error_code ec;
    const std::vector<psi::MountInfo> m = sys.mounts(false, ec);
    ASSERT_FALSE(ec) << ec.message();
    const psi::MountInfo* root = find_mount(m, "/");
    ASSERT_NE(root, nullptr);
    EXPECT_EQ(root->device, "/dev/vdz");
    EXPECT_EQ(root->fstype, "ext4");
    EXPECT_EQ(root->options, "rw,relatime");
    EXPECT_FALSE(root->remote);
    EXPECT_EQ(root->host, "");
    const psi::MountInfo* proc = find_mount(m, "/proc");
    ASSERT_NE(proc, nullptr);
    EXPECT_EQ(proc->fstype, "proc");
    EXPECT_EQ(proc->options, "rw,nosuid,nodev,noexec,relatime");
    const psi::MountInfo* spaced = find_mount(m, "/mnt/with space");
    ASSERT_NE(spaced, nullptr) << "octal escape \\040 not decoded";
    EXPECT_EQ(spaced->device, "/dev/vdy");
    EXPECT_EQ(find_mount(m, "/mnt/nfs"), nullptr) << "remote mount listed without include_remote";
    EXPECT_EQ(find_mount(m, "/mnt/smb"), nullptr) << "remote mount listed without include_remote";
}

TEST_F(FixtureMounts, RemoteWhenAsked) {
    psi::System sys = open_fixture(fx);
    const std::vector<psi::MountInfo> m = sys.mounts(true);
    const psi::MountInfo* nfs = find_mount(m, "/mnt/nfs");
    ASSERT_NE(nfs, nullptr);
    EXPECT_TRUE(nfs->remote);
    EXPECT_EQ(nfs->host, "server");
    EXPECT_EQ(nfs->device, "server:/export");
    const psi::MountInfo* smb = find_mount(m, "/mnt/smb");
    ASSERT_NE(smb, nullptr);
    EXPECT_TRUE(smb->remote);
    EXPECT_EQ(smb->host, "fileserver");
    ASSERT_NE(find_mount(m, "/"), nullptr);
}

TEST_F(FixtureMounts, UnqueryableMountFailsOnlyItsSizes) {
    // statvfs(3) of a mount point that does not exist here fails; the list
    // must still come back with that entry's sizes marked, not made up.
    psi::System sys = open_fixture(fx);
    std::error_code ec;
    const std::vector<psi::MountInfo> m = sys.mounts(false, ec);
    ASSERT_FALSE(ec) << ec.message();
    const psi::MountInfo* ghost = find_mount(m, "/psi-test-no-such-mountpoint");
    ASSERT_NE(ghost, nullptr);
    EXPECT_FALSE(ghost->total.ok());
    EXPECT_NE(ghost->total.status(), psi::AttrStatus::not_read);
    EXPECT_FALSE(ghost->free.ok());
    EXPECT_FALSE(ghost->available.ok());
    EXPECT_FALSE(ghost->inodes.ok());
    const psi::MountInfo* root = find_mount(m, "/");
    ASSERT_NE(root, nullptr);
    EXPECT_TRUE(root->total.ok()) << "statvfs(\"/\") works on any system";
}

// A FUSE (or network, or autofs) mount may block in statvfs; the caller's
// timeout decides how long it is waited for. The fixture's FUSE mount sits
// on /tmp, which answers at once, so a positive timeout gets real sizes and
// zero gets none without asking; plain mounts are asked either way.
TEST_F(FixtureMounts, TimeoutForMountsThatMayBlock) {
    psi::System sys = open_fixture(fx);
    using std::chrono::milliseconds;
    for (milliseconds zero : {milliseconds(0), milliseconds(-5)}) {
        const std::vector<psi::MountInfo> m = sys.mounts(true, zero);
        const psi::MountInfo* fuse = find_mount(m, "/tmp");
        ASSERT_NE(fuse, nullptr);
        EXPECT_EQ(fuse->fstype, "fuse.portal");
        EXPECT_EQ(fuse->total.status(), psi::AttrStatus::not_available);
        EXPECT_EQ(fuse->total.os_error(), ETIMEDOUT);
        EXPECT_EQ(fuse->available_inodes.os_error(), ETIMEDOUT);
        const psi::MountInfo* root = find_mount(m, "/");
        ASSERT_NE(root, nullptr);
        EXPECT_TRUE(root->total.ok()) << "a local mount is not subject to the timeout";
    }
    std::error_code ec;
    const std::vector<psi::MountInfo> m = sys.mounts(true, milliseconds(2000), ec);
    ASSERT_FALSE(ec);
    const psi::MountInfo* fuse = find_mount(m, "/tmp");
    ASSERT_NE(fuse, nullptr);
    struct statvfs want {};
    ASSERT_EQ(::statvfs("/tmp", &want), 0);
    EXPECT_EQ(fuse->total.value("total"), static_cast<std::uint64_t>(want.f_blocks) * want.f_frsize);
    // The default overload gives the same 2 s.
    const std::vector<psi::MountInfo> defaults = sys.mounts(true);
    const psi::MountInfo* again = find_mount(defaults, "/tmp");
    ASSERT_NE(again, nullptr);
    EXPECT_TRUE(again->total.ok());
}

}  // namespace
