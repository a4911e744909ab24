// read_module() on fake modules: .modinfo, __versions CRCs in both byte orders, undefined
// symbols, compressed copies, the signature trailer, location from the path, damaged input.
#include <catch2/catch.hpp>

#include "kmod_support.hpp"

using premigrate::collect::kmod::module_place;
using premigrate::collect::kmod::name_from_path;
using premigrate::collect::kmod::ReadLimits;
using premigrate::core::Diagnostics;
using premigrate::facts::KernelModule;
using premigrate::facts::SymbolCrc;
using premigrate::test::find_kmod_diag;
using premigrate::test::kmod_fixture;
using premigrate::test::read_module_file;

namespace {
const std::string kExtra = "/lib/modules/3.10.0-1160.el7.x86_64/extra/vendor/fake_vendor.ko";

void check_fake(const KernelModule& m) {
  CHECK(m.name == "fake_vendor");
  CHECK(m.vermagic == "3.10.0-1160.el7.x86_64 SMP mod_unload modversions");
  CHECK(m.license == std::vector<std::string>{"Proprietary"});
  CHECK(m.srcversion == "0123456789ABCDEF012345");
  CHECK(m.depends == std::vector<std::string>{"libcrc32c", "nf_conntrack"});
  CHECK(m.retpoline);
  CHECK_FALSE(m.intree);
  CHECK_FALSE(m.signature);
  CHECK(m.versions == std::vector<SymbolCrc>{{"__kmalloc", 0xd2b09ce5},
                                             {"module_layout", 0x28950ef1},
                                             {"printk", 0x27e1a049}});
  CHECK(m.undefined == std::vector<std::string>{"__kmalloc", "printk"});
#if defined(__x86_64__)
  CHECK(m.machine == "x86_64");
#endif
}
}  // namespace

TEST_CASE("module names are recognised by suffix") {
  using premigrate::collect::kmod::is_module_name;
  CHECK(is_module_name("e1000e.ko"));
  CHECK(is_module_name("e1000e.ko.xz"));
  CHECK(is_module_name("e1000e.ko.zst"));
  CHECK(is_module_name("e1000e.ko.gz"));
  CHECK_FALSE(is_module_name(".ko"));
  CHECK_FALSE(is_module_name("e1000e.ko.bz2"));
  CHECK_FALSE(is_module_name("kobject.c"));
}

TEST_CASE("release and location come from the lib/modules path") {
  auto p = module_place("/lib/modules/3.10.0-1160.el7.x86_64/kernel/drivers/net/e1000e.ko.xz");
  CHECK(p.kernel_release == "3.10.0-1160.el7.x86_64");
  CHECK(p.location == "kernel");
  CHECK_FALSE(p.out_of_tree);
  for (const char* area : {"extra", "updates", "weak-updates"}) {
    auto q = module_place(std::string("/usr/lib/modules/5.14.0-70.el9/") + area + "/x/y.ko");
    CHECK(q.kernel_release == "5.14.0-70.el9");
    CHECK(q.location == area);
    CHECK(q.out_of_tree);
  }
  auto direct = module_place("/lib/modules/4.18.0/odd.ko");
  CHECK(direct.kernel_release == "4.18.0");
  CHECK(direct.location == "other");
  auto elsewhere = module_place("/opt/vendor/drv.ko");
  CHECK(elsewhere.kernel_release.empty());
  CHECK(elsewhere.location.empty());
  CHECK(name_from_path("/lib/modules/x/kernel/nf-conntrack.ko.zst") == "nf_conntrack");
}

TEST_CASE("an out-of-tree module: modinfo, __versions, undefined symbols, location") {
  auto p = kmod_fixture("fake.ko");
  Diagnostics diags;
  auto m = read_module_file(*p, kExtra, diags);
  REQUIRE(m);
  CHECK(diags.size() == 0);
  check_fake(*m);
  CHECK(m->path == kExtra);
  CHECK(m->compression.empty());
  CHECK(m->kernel_release == "3.10.0-1160.el7.x86_64");
  CHECK(m->location == "extra");
  CHECK(m->out_of_tree);
  CHECK(m->package.empty());
}

TEST_CASE("compressed copies give the same facts") {
  for (const char* suffix : {"xz", "zst", "gz"}) {
    auto p = kmod_fixture(std::string("fake.ko.") + suffix);
    if (!p) continue;
    Diagnostics diags;
    auto m = read_module_file(*p, kExtra + "." + suffix, diags);
    INFO(suffix);
    REQUIRE(m);
    CHECK(diags.size() == 0);
    check_fake(*m);
    CHECK(m->compression == suffix);
  }
}

TEST_CASE("an in-tree module with an appended signature, plain and xz") {
  const std::string path = "/lib/modules/3.10.0-1160.el7.x86_64/kernel/drivers/intree_demo.ko";
  Diagnostics diags;
  if (auto p = kmod_fixture("intree.ko")) {
    auto m = read_module_file(*p, path, diags);
    REQUIRE(m);
    CHECK_FALSE(m->signature);
    CHECK(m->intree);
  }
  for (const char* name : {"intree_signed.ko", "intree_signed.ko.xz"}) {
    auto p = kmod_fixture(name);
    if (!p) continue;
    auto m = read_module_file(*p, path, diags);
    INFO(name);
    REQUIRE(m);
    CHECK(m->signature);
    CHECK(m->intree);
    CHECK(m->name == "intree_demo");
    CHECK(m->license == std::vector<std::string>{"GPL"});
    CHECK(m->depends.empty());
    CHECK(m->location == "kernel");
    CHECK_FALSE(m->out_of_tree);
  }
  CHECK(diags.size() == 0);
}

TEST_CASE("a big-endian 64-bit module: CRCs honour the byte order") {
  auto p = kmod_fixture("s390x.ko");
  if (!p) return;
  Diagnostics diags;
  auto m = read_module_file(*p, "/lib/modules/4.18.0-80.el8.s390x/extra/s390.ko", diags);
  REQUIRE(m);
  CHECK(diags.size() == 0);
  CHECK(m->machine == "s390x");
  CHECK(m->name == "s390");
  CHECK(m->versions == std::vector<SymbolCrc>{{"printk", 0x11223344}});
  CHECK(m->undefined == std::vector<std::string>{"printk"});
}

TEST_CASE("damaged modules give the diagnostic that names them") {
  struct Case {
    const char* file;
    const char* code;
    bool facts;  // partial facts expected rather than nullopt
  };
  for (const Case c :
       {Case{"bad/text.ko", "kmod.not_elf", false}, Case{"bad/truncated.ko", "kmod.bad_elf", false},
        Case{"bad/cut.ko.xz", "kmod.decompress", false},
        Case{"bad/cut.ko.gz", "kmod.decompress", false},
        Case{"bad/bad_signature.ko", "kmod.bad_signature", true}}) {
    auto p = kmod_fixture(c.file);
    if (!p) continue;
    INFO(c.file);
    Diagnostics diags;
    const std::string root_path = std::string("/lib/modules/r/extra/") + c.file;
    auto m = read_module_file(*p, root_path, diags);
    CHECK(m.has_value() == c.facts);
    auto d = find_kmod_diag(diags, c.code);
    REQUIRE(d);
    CHECK(d->path == root_path);
    if (m) CHECK_FALSE(m->signature);
  }
}

TEST_CASE("a decompression bomb stops at the cap") {
  auto p = kmod_fixture("bad/bomb.ko.xz");
  if (!p) return;
  Diagnostics diags;
  auto m = read_module_file(*p, "/lib/modules/r/extra/bomb.ko.xz", diags, ReadLimits{65536});
  CHECK_FALSE(m);
  auto d = find_kmod_diag(diags, "kmod.too_large");
  REQUIRE(d);
  CHECK(d->path == "/lib/modules/r/extra/bomb.ko.xz");
  CHECK(d->message.find("65536") != std::string::npos);
  // Under the default cap the same stream decompresses, and is then found not to be ELF.
  Diagnostics diags2;
  CHECK_FALSE(read_module_file(*p, "/b.ko.xz", diags2));
  CHECK(find_kmod_diag(diags2, "kmod.not_elf"));
}

TEST_CASE("a relocatable object without .gnu.linkonce.this_module is flagged") {
  auto obj = kmod_fixture("no_this_module.ko");
  Diagnostics diags;
  auto m = read_module_file(*obj, "/lib/modules/r/extra/n.ko", diags);
  REQUIRE(m);
  auto d = find_kmod_diag(diags, "kmod.no_this_module");
  REQUIRE(d);
  CHECK(d->path == "/lib/modules/r/extra/n.ko");
}
