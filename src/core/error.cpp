// The "psi" error category and the Attr error helpers.
#include <string>

#include "psi/attr.hpp"
#include "psi/error.hpp"

namespace psi {
namespace {

class PsiCategory final : public std::error_category {
public:
    const char* name() const noexcept override { return "psi"; }
    std::string message(int code) const override {
        switch (static_cast<errc>(code)) {
            case errc::no_such_process: return "no such process";
            case errc::insufficient_privs: return "insufficient privileges";
            case errc::attr_not_available: return "not available";
            case errc::attr_insufficient_privs: return "insufficient privileges to read";
            case errc::attr_not_implemented: return "not implemented on this platform";
            case errc::attr_not_read: return "not read";
            case errc::invalid_argument: return "invalid argument";
            case errc::proc_root_unusable: return "process filesystem unusable";
            case errc::parse_error: return "unparsable system data";
            case errc::os_error: return "operating system error";
        }
        return "unknown psi error";
    }
};

}  // namespace

const std::error_category& psi_category() noexcept {
    static const PsiCategory category;
    return category;
}

errc to_errc(AttrStatus status) noexcept {
    switch (status) {
        case AttrStatus::not_available: return errc::attr_not_available;
        case AttrStatus::insufficient_privs: return errc::attr_insufficient_privs;
        case AttrStatus::not_implemented: return errc::attr_not_implemented;
        case AttrStatus::not_read: return errc::attr_not_read;
        case AttrStatus::ok: break;
    }
    return errc::os_error;
}

const char* to_string(AttrStatus status) noexcept {
    switch (status) {
        case AttrStatus::not_read: return "not read";
        case AttrStatus::ok: return "ok";
        case AttrStatus::not_available: return "not available";
        case AttrStatus::insufficient_privs: return "insufficient privileges";
        case AttrStatus::not_implemented: return "not implemented";
    }
    return "unknown";
}

void throw_attr_error(AttrStatus status, const char* attribute, int pid) {
    std::string what = pid >= 0 ? "pid " + std::to_string(pid) + ": " : std::string();
    what += attribute ? attribute : "attribute";
    what += ": ";
    what += to_string(status);
    throw Error(make_error_code(to_errc(status)), what);
}

}  // namespace psi
