// The OS-free text helpers every backend shares (src/platform/posix/parse.*):
// uname release numbers and the server of a remote mount, with the device
// spellings of Linux (/proc/self/mounts), macOS (f_mntfromname) and
// Solaris (/etc/mnttab special).
#include <gtest/gtest.h>

#include <climits>
#include <string>
#include <vector>

#include "platform/posix/parse.hpp"

namespace {

using psi::posix::mount_host;
using psi::posix::release_numbers;
using V = std::vector<int>;

TEST(PosixRelease, LeadingNumbers) {
    EXPECT_EQ(release_numbers("6.18.44-fc"), (V{6, 18, 44}));      // Linux
    EXPECT_EQ(release_numbers("5.15.0-91-generic"), (V{5, 15, 0}));
    EXPECT_EQ(release_numbers("23.1.0"), (V{23, 1, 0}));            // Darwin
    EXPECT_EQ(release_numbers("19.6.0-beta"), (V{19, 6, 0}));
    EXPECT_EQ(release_numbers("5.11"), (V{5, 11}));                 // Solaris
    EXPECT_EQ(release_numbers("5.10.1-x"), (V{5, 10, 1}));
    EXPECT_EQ(release_numbers("4."), (V{4}));
    EXPECT_EQ(release_numbers("4..5"), (V{4}));
    EXPECT_EQ(release_numbers("007.08"), (V{7, 8}));
}

TEST(PosixRelease, NoNumbers) {
    EXPECT_EQ(release_numbers(""), V{});
    EXPECT_EQ(release_numbers("omnios"), V{});
    EXPECT_EQ(release_numbers("x23"), V{});
    EXPECT_EQ(release_numbers(".1"), V{});
}

TEST(PosixRelease, OverflowSaturatesAndGoesOn) {
    EXPECT_EQ(release_numbers("2147483647.1"), (V{INT_MAX, 1}));
    EXPECT_EQ(release_numbers("2147483648.1"), (V{INT_MAX, 1}));
    EXPECT_EQ(release_numbers("99999999999.1"), (V{INT_MAX, 1}));
    EXPECT_EQ(release_numbers("1.99999999999999999999999999.3"), (V{1, INT_MAX, 3}));
    EXPECT_EQ(release_numbers("214748364.7"), (V{214748364, 7}));
}

TEST(PosixDecimal, OneNumberFiles) {
    using psi::posix::decimal_value;
    EXPECT_EQ(decimal_value("4194304\n"), 4194304);
    EXPECT_EQ(decimal_value(" 32768 "), 32768);
    EXPECT_EQ(decimal_value("2147483647"), INT_MAX);
    EXPECT_EQ(decimal_value("0"), 0);
    for (const char* bad : {"", "\n", "-1", "+1", "1 2", "12a", "0x10", "2147483648", "99999999999999"})
        EXPECT_FALSE(decimal_value(bad)) << bad;
}

TEST(PosixMountHost, NfsHostColonPath) {
    EXPECT_EQ(mount_host("server:/export/home"), "server");
    EXPECT_EQ(mount_host("files.example:/export/home"), "files.example");
    EXPECT_EQ(mount_host("10.0.0.2:/srv"), "10.0.0.2");
    EXPECT_EQ(mount_host("[fd00::5]:/export"), "fd00::5");
    EXPECT_EQ(mount_host("nfs://srv/pub"), "srv");
    EXPECT_EQ(mount_host("nfs://[fd00::5]:2049/pub"), "fd00::5");
}

TEST(PosixMountHost, SmbShareDropsUserAndPort) {
    EXPECT_EQ(mount_host("//fileserver/share"), "fileserver");
    // The host is the server; the user a share was mounted as is not part
    // of it (the Linux backend used to keep "user@").
    EXPECT_EQ(mount_host("//user@srv/share"), "srv");
    EXPECT_EQ(mount_host("//ann@fileserver/share"), "fileserver");
    EXPECT_EQ(mount_host("//WORK;alice@fs1/share"), "fs1");
    EXPECT_EQ(mount_host("//u:pw@nas:445/x"), "nas");
    EXPECT_EQ(mount_host("//a@b@nas/x"), "nas");
    EXPECT_EQ(mount_host("//[fd00::7]/share"), "fd00::7");
    EXPECT_EQ(mount_host("//nas"), "nas");
    EXPECT_EQ(mount_host("afp://host.local/Volume"), "host.local");
    EXPECT_EQ(mount_host("smb://guest@nas.local/media"), "nas.local");
}

TEST(PosixMountHost, UserAtHostColonPath) {
    EXPECT_EQ(mount_host("alice@build:/home/alice"), "build");  // sshfs
    EXPECT_EQ(mount_host("alice@build:"), "build");
    EXPECT_EQ(mount_host("alice@[fd00::9]:/x"), "fd00::9");
}

TEST(PosixMountHost, LocalDevicesHaveNone) {
    EXPECT_EQ(mount_host(""), "");
    EXPECT_EQ(mount_host("/dev/sda1"), "");
    EXPECT_EQ(mount_host("/dev/disk1s1"), "");
    EXPECT_EQ(mount_host("/dev/x:y"), "");
    EXPECT_EQ(mount_host("/export:x"), "");
    EXPECT_EQ(mount_host("dir/x:y"), "");
    EXPECT_EQ(mount_host("map auto_home"), "");
    EXPECT_EQ(mount_host("auto_home"), "");
    EXPECT_EQ(mount_host("rpool/ROOT/oi"), "");
    EXPECT_EQ(mount_host("tmpfs"), "");
    EXPECT_EQ(mount_host(":/x"), "");
    EXPECT_EQ(mount_host("user@:/x"), "");
    EXPECT_EQ(mount_host("[fd00::5/x"), "");
    EXPECT_EQ(mount_host("//"), "");
    EXPECT_EQ(mount_host("///x"), "");
}

}  // namespace
