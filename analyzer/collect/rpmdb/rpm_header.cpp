// Header -> Package. Tag semantics follow rpm's tag reference (docs/manual/tags.md); signature
// packets are parsed with librpm's OpenPGP parser (RFC 4880 section 5.2).
#include "collect/rpmdb/rpm_header.hpp"

#include <rpm/rpmds.h>
#include <rpm/rpmfi.h>
#include <rpm/rpmfiles.h>
#include <rpm/rpmpgp.h>
#include <rpm/rpmstrpool.h>
#include <rpm/rpmtd.h>

#include <cstdio>
#include <memory>

#include "core/rpm_handles.hpp"

namespace premigrate::collect::rpmdb {

namespace {

std::string str_tag(Header h, rpmTagVal tag) {
  const char* s = headerGetString(h, tag);
  return s ? std::string(s) : std::string();
}

std::uint64_t num_tag(Header h, rpmTagVal tag) { return headerGetNumber(h, tag); }

std::string hex(const unsigned char* p, std::size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  s.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    s += digits[p[i] >> 4];
    s += digits[p[i] & 0xF];
  }
  return s;
}

using core::rpm::Td;

std::string bin_tag_hex(Header h, rpmTagVal tag) {
  Td td(rpmtdNew());
  if (!headerGet(h, tag, td.get(), HEADERGET_MINMEM)) return {};
  if (rpmtdType(td.get()) != RPM_BIN_TYPE) return {};
  return hex(static_cast<const unsigned char*>(td->data), td->count);
}

std::optional<facts::Signature> signature(Header h, const std::string& where,
                                          core::Diagnostics& diags) {
  struct SigTag {
    rpmTagVal tag;
    const char* name;
  };
  // Header-only signatures (v4) first, as `rpm -qi` shows them; then header+payload ones.
  for (SigTag t : {SigTag{RPMTAG_RSAHEADER, "RSAHEADER"}, SigTag{RPMTAG_DSAHEADER, "DSAHEADER"},
                   SigTag{RPMTAG_SIGPGP, "SIGPGP"}, SigTag{RPMTAG_SIGGPG, "SIGGPG"}}) {
    Td td(rpmtdNew());
    if (!headerGet(h, t.tag, td.get(), HEADERGET_MINMEM)) continue;
    if (rpmtdType(td.get()) != RPM_BIN_TYPE || td->count == 0) continue;
    pgpDigParams parsed = nullptr;
    const int rc =
        pgpPrtParams(static_cast<const uint8_t*>(td->data), td->count, PGPTAG_SIGNATURE, &parsed);
    const core::rpm::DigParams owned(parsed);
    pgpDigParams dig = owned.get();
    if (rc != 0 || dig == nullptr) {
      diags.warn("rpmdb.signature", where, "unparseable OpenPGP signature packet", t.name);
      continue;
    }
    facts::Signature s;
    s.tag = t.name;
    const char* pk = pgpValString(PGPVAL_PUBKEYALGO,
                                  static_cast<uint8_t>(pgpDigParamsAlgo(dig, PGPVAL_PUBKEYALGO)));
    const char* ha =
        pgpValString(PGPVAL_HASHALGO, static_cast<uint8_t>(pgpDigParamsAlgo(dig, PGPVAL_HASHALGO)));
    s.pubkey_algo = pk ? pk : "";
    s.hash_algo = ha ? ha : "";
    if (const uint8_t* id = pgpDigParamsSignID(dig)) s.key_id = hex(id, 8);
    s.created = pgpDigParamsCreationTime(dig);
    return s;
  }
  return std::nullopt;
}

std::vector<std::string> sense_qualifiers(rpmsenseFlags f) {
  struct Bit {
    rpmsenseFlags bit;
    const char* word;
  };
  static const Bit bits[] = {
      {RPMSENSE_INTERP, "interp"},
      {RPMSENSE_SCRIPT_PRE, "pre"},
      {RPMSENSE_SCRIPT_POST, "post"},
      {RPMSENSE_SCRIPT_PREUN, "preun"},
      {RPMSENSE_SCRIPT_POSTUN, "postun"},
      {RPMSENSE_SCRIPT_VERIFY, "verify"},
      {RPMSENSE_PRETRANS, "pretrans"},
      {RPMSENSE_POSTTRANS, "posttrans"},
      {RPMSENSE_RPMLIB, "rpmlib"},
      {RPMSENSE_CONFIG, "config"},
      {RPMSENSE_MISSINGOK, "missingok"},
      {RPMSENSE_FIND_REQUIRES, "auto"},
      {RPMSENSE_FIND_PROVIDES, "auto"},
      {RPMSENSE_KEYRING, "keyring"},
      {RPMSENSE_META, "meta"},
  };
  std::vector<std::string> out;
  for (const auto& b : bits) {
    if ((f & b.bit) && (out.empty() || out.back() != b.word)) out.emplace_back(b.word);
  }
  return out;
}

std::vector<facts::Dependency> deps(rpmstrPool pool, Header h, rpmTagVal tag) {
  std::vector<facts::Dependency> out;
  const core::rpm::Deps owned(rpmdsNewPool(pool, h, tag, 0));
  rpmds ds = owned.get();
  if (!ds) return out;
  rpmdsInit(ds);
  while (rpmdsNext(ds) >= 0) {
    facts::Dependency d;
    if (const char* n = rpmdsN(ds)) d.name = n;
    if (const char* evr = rpmdsEVR(ds)) d.evr = evr;
    rpmsenseFlags f = rpmdsFlags(ds);
    const bool lt = f & RPMSENSE_LESS;
    const bool gt = f & RPMSENSE_GREATER;
    const bool eq = f & RPMSENSE_EQUAL;
    d.op = lt ? (eq ? "<=" : "<") : gt ? (eq ? ">=" : ">") : eq ? "=" : "";
    d.qualifiers = sense_qualifiers(f);
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<std::string> file_flag_words(rpmfileAttrs a) {
  struct Bit {
    rpmfileAttrs bit;
    const char* word;
  };
  static const Bit bits[] = {
      {RPMFILE_CONFIG, "config"},
      {RPMFILE_NOREPLACE, "noreplace"},
      {RPMFILE_DOC, "doc"},
      {RPMFILE_GHOST, "ghost"},
      {RPMFILE_LICENSE, "license"},
      {RPMFILE_README, "readme"},
      {RPMFILE_MISSINGOK, "missingok"},
      {RPMFILE_ARTIFACT, "artifact"},
  };
  std::vector<std::string> out;
  for (const auto& b : bits) {
    if (a & b.bit) out.emplace_back(b.word);
  }
  return out;
}

std::vector<facts::PackageFile> files(rpmstrPool pool, Header h) {
  std::vector<facts::PackageFile> out;
  const core::rpm::Files owned_files(rpmfilesNew(pool, h, RPMTAG_BASENAMES, RPMFI_FLAGS_QUERY));
  rpmfiles fs = owned_files.get();
  if (!fs) return out;
  out.reserve(static_cast<std::size_t>(rpmfilesFC(fs)));
  // FILEDIGESTS as the header stores them: librpm's rpmfiFDigestHex turns a file without a
  // digest (ghost, directory, link) into a string of zeros, which `rpm -q --qf
  // '[%{FILEDIGESTS}]'` prints empty; the header's own empty string is the truth.
  Td digests(rpmtdNew());
  const bool have_digests = headerGet(h, RPMTAG_FILEDIGESTS, digests.get(), HEADERGET_MINMEM) &&
                            rpmtdType(digests.get()) == RPM_STRING_ARRAY_TYPE;
  const core::rpm::FileIterator owned_iter(rpmfilesIter(fs, RPMFI_ITER_FWD));
  rpmfi fi = owned_iter.get();
  while (fi && rpmfiNext(fi) >= 0) {
    facts::PackageFile f;
    if (const char* fn = rpmfiFN(fi)) f.path = fn;
    f.mode = rpmfiFMode(fi);
    f.size = static_cast<std::uint64_t>(rpmfiFSize(fi));
    if (have_digests && rpmtdSetIndex(digests.get(), rpmfiFX(fi)) >= 0) {
      if (const char* d = rpmtdGetString(digests.get())) f.digest = d;
    }
    if (const char* u = rpmfiFUser(fi)) f.user = u;
    if (const char* g = rpmfiFGroup(fi)) f.group = g;
    if (const char* l = rpmfiFLink(fi)) f.linkto = l;
    f.flags = file_flag_words(rpmfiFFlags(fi));
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

facts::Package package_from_header(Header h, const std::string& db_path, unsigned instance,
                                   core::Diagnostics& diags) {
  const std::string where = db_path + " header #" + std::to_string(instance);
  facts::Package p;
  p.db_instance = instance;
  p.name = str_tag(h, RPMTAG_NAME);
  if (headerIsEntry(h, RPMTAG_EPOCH))
    p.epoch = static_cast<std::uint32_t>(num_tag(h, RPMTAG_EPOCH));
  p.version = str_tag(h, RPMTAG_VERSION);
  p.release = str_tag(h, RPMTAG_RELEASE);
  p.arch = str_tag(h, RPMTAG_ARCH);
  p.vendor = str_tag(h, RPMTAG_VENDOR);
  p.packager = str_tag(h, RPMTAG_PACKAGER);
  p.buildhost = str_tag(h, RPMTAG_BUILDHOST);
  p.buildtime = num_tag(h, RPMTAG_BUILDTIME);
  p.installtime = num_tag(h, RPMTAG_INSTALLTIME);
  p.sourcerpm = str_tag(h, RPMTAG_SOURCERPM);
  // rpm --import writes the literal "(none)" as the SOURCERPM of gpg-pubkey headers
  // (lib/rpmts.c), the word `rpm -q --qf` prints for an absent tag: no source rpm either way.
  if (p.sourcerpm == "(none)") p.sourcerpm.clear();
  p.license = str_tag(h, RPMTAG_LICENSE);
  p.summary = str_tag(h, RPMTAG_SUMMARY);
  p.url = str_tag(h, RPMTAG_URL);
  p.size =
      headerIsEntry(h, RPMTAG_LONGSIZE) ? num_tag(h, RPMTAG_LONGSIZE) : num_tag(h, RPMTAG_SIZE);
  p.sigmd5 = bin_tag_hex(h, RPMTAG_SIGMD5);
  p.modularitylabel = str_tag(h, RPMTAG_MODULARITYLABEL);
  // rpm's default when FILEDIGESTALGO is absent is MD5 (all CentOS 5-7 packages).
  auto algo = headerIsEntry(h, RPMTAG_FILEDIGESTALGO) ? num_tag(h, RPMTAG_FILEDIGESTALGO)
                                                      : static_cast<std::uint64_t>(PGPHASHALGO_MD5);
  const char* algo_name = pgpValString(PGPVAL_HASHALGO, static_cast<uint8_t>(algo));
  p.file_digest_algo = algo_name ? algo_name : "unknown(" + std::to_string(algo) + ")";
  p.signature = signature(h, where, diags);
  // One string pool for the header's dependency sets and file list: without it librpm
  // creates (calloc + memset of a hash table) and frees a private pool for each of the five,
  // which was a fifth of a whole scan's instructions on a 1,500-package rpmdb (bench/RESULTS.md).
  rpmstrPool pool = rpmstrPoolCreate();
  p.requires_ = deps(pool, h, RPMTAG_REQUIRENAME);
  p.provides = deps(pool, h, RPMTAG_PROVIDENAME);
  p.obsoletes = deps(pool, h, RPMTAG_OBSOLETENAME);
  p.conflicts = deps(pool, h, RPMTAG_CONFLICTNAME);
  p.files = files(pool, h);
  rpmstrPoolFree(pool);
  if (p.name.empty() || p.version.empty()) {
    diags.warn("rpmdb.header", db_path, "header has no name or version", where);
  }
  return p;
}

}  // namespace premigrate::collect::rpmdb
