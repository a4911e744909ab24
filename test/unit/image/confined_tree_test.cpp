// open_dirs never passes a symbolic link; remove_tree_at and clear_dir remove trees without
// following links out of them.
#include "image/confined_tree.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "core/temp_dir.hpp"

namespace fs = std::filesystem;
using premigrate::image::clear_dir;
using premigrate::image::open_dirs;
using premigrate::image::remove_tree_at;

TEST_CASE("open_dirs creates directories and refuses a symbolic link on the way") {
  premigrate::core::TempDir t;
  const auto outside = t.path() / "outside";
  fs::create_directory(outside);
  fs::create_directory(t.path() / "root");
  fs::create_directory_symlink(outside, t.path() / "root" / "link");
  premigrate::core::Fd root(::open((t.path() / "root").c_str(), O_RDONLY | O_DIRECTORY));
  auto made = open_dirs(root.get(), {"a", "b", "leaf"}, 2, true);
  CHECK(made.fd.valid());
  CHECK(fs::is_directory(t.path() / "root" / "a" / "b"));
  CHECK_FALSE(fs::exists(t.path() / "root" / "a" / "b" / "leaf"));
  auto through = open_dirs(root.get(), {"link", "x", "leaf"}, 2, true);
  CHECK_FALSE(through.fd.valid());
  CHECK((through.err == ELOOP || through.err == ENOTDIR));
  CHECK(fs::is_empty(outside));
  auto missing = open_dirs(root.get(), {"nope", "leaf"}, 1, false);
  CHECK(missing.err == ENOENT);
}

TEST_CASE("remove_tree_at and clear_dir stay inside the tree") {
  premigrate::core::TempDir t;
  const auto outside = t.path() / "outside";
  fs::create_directory(outside);
  std::ofstream(outside / "keep") << "x";
  const auto root = t.path() / "root";
  fs::create_directories(root / "d" / "e" / "f");
  std::ofstream(root / "d" / "e" / "f" / "file") << "x";
  fs::create_directory_symlink(outside, root / "d" / "link");
  fs::permissions(root / "d" / "e", fs::perms::owner_all);
  premigrate::core::Fd rfd(::open(root.c_str(), O_RDONLY | O_DIRECTORY));
  CHECK(remove_tree_at(rfd.get(), "d"));
  CHECK_FALSE(fs::exists(root / "d"));
  CHECK(fs::exists(outside / "keep"));
  fs::create_directories(root / "o" / "p");
  fs::create_directory_symlink(outside, root / "o" / "l");
  premigrate::core::Fd ofd(::open((root / "o").c_str(), O_RDONLY | O_DIRECTORY));
  CHECK(clear_dir(ofd.get()));
  CHECK(fs::is_empty(root / "o"));
  CHECK(fs::exists(outside / "keep"));
  CHECK(remove_tree_at(rfd.get(), "absent"));
}

TEST_CASE("a signal removes a scratch directory holding a tree (a flattened image)") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(fds[0]);
    premigrate::core::install_cleanup_handlers();
    premigrate::core::TempDir t;
    auto deep = t.path() / "rootfs";
    for (int i = 0; i < 20; ++i) deep /= "d" + std::to_string(i);
    std::error_code ec;
    fs::create_directories(deep, ec);
    std::ofstream(deep / "file") << "x";
    fs::permissions(t.path() / "rootfs" / "d0", fs::perms::owner_all, ec);
    const std::string p = t.path().string();
    (void)!::write(fds[1], p.c_str(), p.size());
    ::close(fds[1]);
    ::raise(SIGTERM);
    ::_exit(3);  // not reached: the handler re-raises with the default action
  }
  ::close(fds[1]);
  std::string path;
  char buf[512];
  ssize_t n = 0;
  while ((n = ::read(fds[0], buf, sizeof buf)) > 0) path.append(buf, static_cast<std::size_t>(n));
  ::close(fds[0]);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  CHECK(WIFSIGNALED(status));
  REQUIRE_FALSE(path.empty());
  CHECK_FALSE(fs::exists(path));
}
