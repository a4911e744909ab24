// OutputFile: a temporary file beside the destination, renamed onto it once complete.
#include "core/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <random>
#include <streambuf>

#include "core/errors.hpp"
#include "core/text.hpp"

namespace premigrate::core {

namespace {

std::string errno_text(int err) { return std::strerror(err); }

bool write_all(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

}  // namespace

// A plain output buffer onto a descriptor; the first write error is kept for commit().
class OutputFile::Buf : public std::streambuf {
 public:
  explicit Buf(int fd) : fd_(fd) { setp(buf_.data(), buf_.data() + buf_.size()); }
  [[nodiscard]] int error() const { return error_; }

 protected:
  int_type overflow(int_type ch) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    const auto n = static_cast<std::size_t>(pptr() - pbase());
    if (n > 0 && error_ == 0 && !write_all(fd_, pbase(), n)) error_ = errno ? errno : EIO;
    setp(buf_.data(), buf_.data() + buf_.size());
    return error_ == 0;
  }
  int fd_;
  int error_ = 0;
  std::array<char, 1 << 16> buf_{};
};

OutputFile::OutputFile(std::filesystem::path dest) : dest_(std::move(dest)) {
  const auto parent =
      dest_.parent_path().empty() ? std::filesystem::path(".") : dest_.parent_path();
  const auto name = dest_.filename().string();
  if (name.empty() || name == "." || name == "..")
    throw RunError("cannot write " + dest_.string() + ": not a file name");
  dir_ = Fd(::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir_.valid()) throw RunError("cannot write " + dest_.string() + ": " + errno_text(errno));
  std::random_device rd;
  for (int attempt = 0; attempt < 16 && !fd_.valid(); ++attempt) {
    tmp_name_ = "." + name + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(rd());
    fd_ = Fd(::openat(dir_.get(), tmp_name_.c_str(),
                      O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (!fd_.valid() && errno != EEXIST)
      throw RunError("cannot write " + dest_.string() + ": " + errno_text(errno));
  }
  if (!fd_.valid()) throw RunError("cannot write " + dest_.string() + ": no temporary name free");
  buf_ = std::make_unique<Buf>(fd_.get());
  os_ = std::make_unique<std::ostream>(buf_.get());
}

OutputFile::~OutputFile() {
  if (!committed_ && dir_.valid() && !tmp_name_.empty())
    ::unlinkat(dir_.get(), tmp_name_.c_str(), 0);
}

std::ostream& OutputFile::stream() { return *os_; }

void OutputFile::commit() {
  os_->flush();
  int err = buf_->error();
  if (err == 0 && ::fsync(fd_.get()) != 0 && errno != EINVAL) err = errno;
  if (err == 0) {
    fd_ = Fd();
    // renameat replaces whatever the destination is (a file, or a symlink planted there: the
    // link itself, never its target); a directory there makes it fail.
    if (::renameat(dir_.get(), tmp_name_.c_str(), dir_.get(), dest_.filename().c_str()) != 0)
      err = errno;
  }
  if (err != 0) throw RunError("cannot write " + dest_.string() + ": " + errno_text(err));
  committed_ = true;
}

void refuse_output_in_root(const RootFs& root, const std::string& output) {
  if (root.is_host_root() || output.empty() || output == "-") return;
  if (root.contains_host_path(output))
    throw UsageError(
        "--output " + printable_text(output) + " is inside the scanned root " +
        printable_text(root.host_root().string()) +
        "; premigrate never writes into the root it scans: choose a directory outside it");
}

void write_output_file(const std::filesystem::path& dest, const std::string& text) {
  OutputFile f(dest);
  f.stream().write(text.data(), static_cast<std::streamsize>(text.size()));
  f.commit();
}

}  // namespace premigrate::core
