// Reads RPM payloads with librpm (rpmReadPackageFile, rpmfiNewArchiveReader) and hands every
// ELF shared object in them to collect/elf's libelf reader through a memfd.
#include "kb/rpm/rpm_exports.hpp"

#include <fcntl.h>
#include <rpm/header.h>
#include <rpm/rpmarchive.h>
#include <rpm/rpmfiles.h>
#include <rpm/rpmio.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmlog.h>
#include <rpm/rpmts.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <mutex>
#include <set>

#include "collect/elf/elf_reader.hpp"
#include "core/diagnostics.hpp"
#include "core/errors.hpp"
#include "core/root_fs.hpp"
#include "core/rpm_handles.hpp"

namespace premigrate::kb::importers {

namespace {

constexpr rpm_loff_t kMaxLibrary = 512ull << 20;  // larger "libraries" are not read

std::once_flag g_rpm_init;

// The librpm handles of one package file, released in reverse order of declaration (the
// archive iterator before the files, the header and the file it reads).
struct Package {
  core::rpm::Ts ts;
  core::rpm::File fd;
  core::rpm::HeaderRef h;
  core::rpm::Files files;
  core::rpm::FileIterator fi;
};

std::vector<std::filesystem::path> rpm_files(const std::vector<std::filesystem::path>& inputs) {
  std::vector<std::filesystem::path> out;
  for (const auto& in : inputs) {
    std::error_code ec;
    if (std::filesystem::is_directory(in, ec)) {
      for (const auto& e : std::filesystem::directory_iterator(in, ec))
        if (e.path().extension() == ".rpm") out.push_back(e.path());
      if (ec) throw core::RunError(in.string() + ": cannot list: " + ec.message());
    } else {
      out.push_back(in);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The ELF facts of one payload file held in memory, or nullopt when it is not ELF.
std::optional<facts::ElfObject> read_library(const std::vector<unsigned char>& bytes,
                                             const std::string& name) {
  if (!collect::elf::has_elf_magic(bytes.data(), bytes.size())) return std::nullopt;
  const core::Fd mfd(::memfd_create("premigrate-rpm-elf", MFD_CLOEXEC));
  if (!mfd.valid()) throw core::RunError(name + ": memfd_create failed");
  std::size_t done = 0;
  while (done < bytes.size()) {
    const auto n = ::write(mfd.get(), bytes.data() + done, bytes.size() - done);
    if (n <= 0) throw core::RunError(name + ": cannot buffer the file for libelf");
    done += static_cast<std::size_t>(n);
  }
  core::Diagnostics diags;
  return collect::elf::read_elf(mfd.get(), name, diags);
}

void read_package(const std::filesystem::path& path, const RpmExportOptions& o,
                  std::set<std::string>& seen, std::vector<RpmLibraryExports>& out,
                  std::uint64_t& records) {
  const auto where = path.string();
  Package p;
  p.fd.reset(Fopen(where.c_str(), "r.ufdio"));
  if (!p.fd || Ferror(p.fd.get())) throw core::RunError(where + ": cannot open");
  p.ts.reset(rpmtsCreate());
  // A mirror's packages are checked by its own tooling; signatures are not ours to verify.
  rpmtsSetVSFlags(p.ts.get(), RPMVSF_MASK_NOSIGNATURES | RPMVSF_MASK_NODIGESTS);
  Header read = nullptr;
  const rpmRC rc = rpmReadPackageFile(p.ts.get(), p.fd.get(), where.c_str(), &read);
  p.h.reset(read);
  if ((rc != RPMRC_OK && rc != RPMRC_NOTTRUSTED && rc != RPMRC_NOKEY) || !p.h)
    throw core::RunError(where + ": not a readable RPM package");
  const Header h = p.h.get();
  const char* name = headerGetString(h, RPMTAG_NAME);
  const char* arch = headerGetString(h, RPMTAG_ARCH);
  if (!o.arches.empty() &&
      std::find(o.arches.begin(), o.arches.end(), arch ? arch : "") == o.arches.end())
    return;
  if (headerIsSource(h)) return;
  const char* compr = headerGetString(h, RPMTAG_PAYLOADCOMPRESSOR);
  const std::string mode = std::string("r.") + (compr ? compr : "gzip");
  // Fdopen pushes the decompressing layer onto the same FD_t and returns it: one owner still.
  FD_t payload = Fdopen(p.fd.get(), mode.c_str());
  if (!payload) throw core::RunError(where + ": cannot open the " + mode + " payload");
  if (payload != p.fd.get()) {
    (void)p.fd.release();
    p.fd.reset(payload);
  }
  p.files.reset(rpmfilesNew(nullptr, h, RPMTAG_BASENAMES, RPMFI_KEEPHEADER));
  p.fi.reset(
      rpmfiNewArchiveReader(p.fd.get(), p.files.get(), RPMFI_ITER_READ_ARCHIVE_CONTENT_FIRST));
  if (!p.fi) throw core::RunError(where + ": cannot read the payload archive");
  rpmfi fi = p.fi.get();
  int r = 0;
  while ((r = rpmfiNext(fi)) >= 0) {
    if (!S_ISREG(rpmfiFMode(fi)) || !rpmfiArchiveHasContent(fi)) continue;
    const rpm_loff_t size = rpmfiFSize(fi);
    if (size < 64 || size > kMaxLibrary) continue;
    std::vector<unsigned char> bytes(static_cast<std::size_t>(size));
    if (rpmfiArchiveRead(fi, bytes.data(), bytes.size()) != static_cast<ssize_t>(size))
      throw core::RunError(where + ": short read of " + rpmfiFN(fi));
    const std::string file = rpmfiFN(fi);
    std::string label = where;
    label.append(":").append(file);
    auto e = read_library(bytes, label);
    if (!e || e->type != "dyn" || e->soname.empty()) continue;
    ++records;
    if (!seen.insert(e->soname).second) continue;
    RpmLibraryExports lib;
    lib.soname = e->soname;
    lib.package = name ? name : "";
    const char* v = headerGetString(h, RPMTAG_VERSION);
    const char* rel = headerGetString(h, RPMTAG_RELEASE);
    lib.version = std::string(v ? v : "") + "-" + (rel ? rel : "");
    lib.file = file;
    // The base definition (named after the soname) is the file, not a node: its symbols are
    // the unversioned ones.
    std::set<std::string> nodes;
    for (const auto& v : e->verdef)
      if (v != e->soname) nodes.insert(v);
    std::set<std::pair<std::string, std::string>> syms;
    for (const auto& s : e->exported) {
      const std::string v = s.version.str() == e->soname ? "" : s.version.str();
      syms.emplace(v, s.name.str());
      if (!v.empty()) nodes.insert(v);
    }
    lib.list.nodes.assign(nodes.begin(), nodes.end());
    lib.list.symbols.assign(syms.begin(), syms.end());
    lib.list.records = syms.size();
    out.push_back(std::move(lib));
  }
  if (r != RPMERR_ITER_END) throw core::RunError(where + ": damaged payload archive");
}

}  // namespace

std::vector<RpmLibraryExports> import_rpm_exports(const std::vector<std::filesystem::path>& inputs,
                                                  const RpmExportOptions& options,
                                                  std::uint64_t& records) {
  std::call_once(g_rpm_init, [] {
    rpmlogSetMask(RPMLOG_UPTO(RPMLOG_ERR));
    (void)rpmReadConfigFiles(nullptr, nullptr);
  });
  std::vector<RpmLibraryExports> out;
  std::set<std::string> seen;
  for (const auto& f : rpm_files(inputs)) read_package(f, options, seen, out, records);
  return out;
}

}  // namespace premigrate::kb::importers
