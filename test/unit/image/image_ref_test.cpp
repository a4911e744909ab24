// Member paths, PATH@SELECTOR, digests and blob names.
#include "image/image_ref.hpp"

#include <catch2/catch.hpp>

#include "image/confined_tree.hpp"
#include "image/manifests.hpp"

using premigrate::image::blob_path;
using premigrate::image::parse_image_spec;
using premigrate::image::sha256_of_text;
using premigrate::image::split_member_path;
using premigrate::image::valid_digest;

TEST_CASE("member paths are split, '.' dropped, '..' and absolute paths flagged") {
  auto m = split_member_path("./usr//lib/./x");
  CHECK(m.parts == std::vector<std::string>{"usr", "lib", "x"});
  CHECK_FALSE(m.escape);
  CHECK_FALSE(m.absolute);
  CHECK(split_member_path("a/../../b").escape);
  CHECK(split_member_path("..").escape);
  CHECK_FALSE(split_member_path("a/..b/c").escape);  // a name that starts with dots is a name
  auto abs = split_member_path("/etc/passwd");
  CHECK(abs.absolute);
  CHECK(abs.parts == std::vector<std::string>{"etc", "passwd"});
  CHECK(split_member_path("./").parts.empty());
}

TEST_CASE("PATH@SELECTOR splits at the last '@' unless the whole path exists") {
  auto s = parse_image_spec("/nonexistent/app.tar@reg.example/app:1");
  CHECK(s.path == "/nonexistent/app.tar");
  CHECK(s.selector == "reg.example/app:1");
  auto d = parse_image_spec("/nonexistent/a@b/app.tar@sha256:00");
  CHECK(d.path == "/nonexistent/a@b/app.tar");
  CHECK(d.selector == "sha256:00");
  CHECK(parse_image_spec("/").selector.empty());
  CHECK(parse_image_spec("/nonexistent/app.tar").selector.empty());
}

TEST_CASE("digests name blobs only when well formed") {
  const std::string ok = sha256_of_text("");
  CHECK(ok == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(valid_digest(ok));
  CHECK(blob_path(ok) ==
        "blobs/sha256/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK_FALSE(valid_digest("sha256:../../etc/passwd"));
  CHECK_FALSE(valid_digest("md5:d41d8cd98f00b204e9800998ecf8427e"));
  CHECK_FALSE(valid_digest(ok.substr(0, ok.size() - 1)));
  CHECK(blob_path("sha256:" + std::string(64, 'G')).empty());
}
