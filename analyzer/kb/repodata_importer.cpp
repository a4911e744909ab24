// yum/dnf repodata importer: repomd.xml -> primary.xml (+ filelists.xml), streamed with
// libxml2's xmlTextReader (createrepo_c format: http://linux.duke.edu/metadata/common).
#include <libxml/xmlreader.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>

#include "core/c_handle.hpp"
#include "core/errors.hpp"
#include "kb/importers.hpp"

namespace premigrate::kb::importers {

namespace {

using Reader = core::CHandle<xmlTextReader, xmlFreeTextReader>;
// A string libxml2 allocated (xmlFree is a variable, a replaceable allocator, not a function).
struct XmlCharFree {
  void operator()(xmlChar* p) const { xmlFree(p); }
};
using XmlString = std::unique_ptr<xmlChar, XmlCharFree>;

std::string xml_str(const xmlChar* s) {
  return s ? std::string(reinterpret_cast<const char*>(s)) : std::string();
}

std::string attr(xmlTextReader* r, const char* name) {
  const XmlString v(xmlTextReaderGetAttribute(r, reinterpret_cast<const xmlChar*>(name)));
  return xml_str(v.get());
}

// Walks the elements of an XML document; fn(reader, local_name, depth) per element start.
// text(reader) reads the element's text content.
class XmlWalk {
 public:
  XmlWalk(const std::string& data, std::string name) : name_(std::move(name)) {
    reader_.reset(xmlReaderForMemory(
        data.data(), static_cast<int>(data.size()), name_.c_str(), nullptr,
        XML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
    if (!reader_) throw core::RunError(name_ + ": cannot start the XML reader");
  }
  template <typename Fn>
  void run(Fn&& fn) {
    int rc;
    while ((rc = xmlTextReaderRead(reader_.get())) == 1) {
      if (xmlTextReaderNodeType(reader_.get()) == XML_READER_TYPE_ELEMENT)
        fn(xml_str(xmlTextReaderConstLocalName(reader_.get())));
      else if (xmlTextReaderNodeType(reader_.get()) == XML_READER_TYPE_END_ELEMENT)
        end_(xml_str(xmlTextReaderConstLocalName(reader_.get())));
    }
    if (rc < 0) fail("malformed XML");
  }
  template <typename Fn>
  void on_end(Fn&& fn) {
    end_ = std::forward<Fn>(fn);
  }
  [[nodiscard]] std::string text() {
    const XmlString v(xmlTextReaderReadString(reader_.get()));
    return xml_str(v.get());
  }
  [[nodiscard]] std::string attr(const char* n) { return importers::attr(reader_.get(), n); }
  [[noreturn]] void fail(const std::string& what) {
    const xmlError* e = xmlGetLastError();
    int line = xmlTextReaderGetParserLineNumber(reader_.get());
    std::string detail =
        e && e->message ? xml_str(reinterpret_cast<const xmlChar*>(e->message)) : "";
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
    if (e && e->line > 0) line = e->line;
    throw core::RunError(name_ + ":" + std::to_string(line) + ": " + what +
                         (detail.empty() ? "" : ": " + detail));
  }
  [[nodiscard]] int line() { return xmlTextReaderGetParserLineNumber(reader_.get()); }

 private:
  std::string name_;
  Reader reader_;
  std::function<void(const std::string&)> end_ = [](const std::string&) {};
};

bool keep_arch(const RepodataOptions& o, const std::string& arch) {
  if (arch == "src" || arch == "nosrc") return false;
  return o.arches.empty() || std::find(o.arches.begin(), o.arches.end(), arch) != o.arches.end();
}

bool keep_file(const RepodataOptions& o, const std::string& path) {
  return std::any_of(o.file_prefixes.begin(), o.file_prefixes.end(),
                     [&](const std::string& p) { return path.rfind(p, 0) == 0; });
}

bool keep_provide(const RepodataOptions& o, const std::string& cap) {
  const auto paren = cap.find('(');
  const auto base = cap.substr(0, paren);
  if (base.find(".so") != std::string::npos && base.find('/') == std::string::npos)
    return !o.skip_sonames;
  // Plain capability names (no namespace, no path) when asked for.
  return !o.soname_provides_only && paren == std::string::npos &&
         cap.find('/') == std::string::npos;
}

std::string evr_of(const std::string& e, const std::string& v, const std::string& r) {
  return (e.empty() || e == "0" ? "" : e + ":") + v + "-" + r;
}

void read_primary(const std::string& data, const std::string& name, const RepodataOptions& o,
                  RepodataResult& out, std::map<std::string, std::string>& pkgid_to_name) {
  XmlWalk w(data, name);
  BinaryPackage cur;
  std::vector<std::string> provides, obsoletes, files;
  std::string pkgid;
  PackageLocation loc;
  bool in_package = false, in_provides = false, in_obsoletes = false, saw_metadata = false;
  w.on_end([&](const std::string& el) {
    if (el == "provides") in_provides = false;
    if (el == "obsoletes") in_obsoletes = false;
    if (el != "package" || !in_package) return;
    in_package = false;
    ++out.records;
    if (cur.name.empty()) w.fail("<package> without <name>");
    if (!keep_arch(o, cur.arch)) return;
    cur.repo = o.repo;
    pkgid_to_name[pkgid] = cur.name;
    for (auto& p : provides)
      if (keep_provide(o, p)) out.provides.push_back({p, "rpm", cur.name, 0});
    // Obsoletes keep the name only (the version bound is not kept): see RepodataOptions.
    if (o.obsoletes)
      for (auto& p : obsoletes)
        if (keep_provide(o, p)) out.provides.push_back({p, "obsoletes", cur.name, 0});
    for (auto& f : files)
      if (keep_file(o, f)) out.files.push_back({f, cur.name, 0});
    if (o.locations_for.count(cur.name)) {
      loc.name = cur.name, loc.arch = cur.arch, loc.evr = cur.evr, loc.checksum = pkgid;
      out.locations.push_back(loc);
    }
    out.packages.push_back(cur);
  });
  w.run([&](const std::string& el) {
    if (el == "metadata") saw_metadata = true;
    if (el == "package") {
      cur = BinaryPackage{};
      provides.clear();
      obsoletes.clear();
      files.clear();
      pkgid.clear();
      loc = PackageLocation{};
      in_package = true;
      return;
    }
    if (!in_package) return;
    if (el == "name")
      cur.name = w.text();
    else if (el == "arch")
      cur.arch = w.text();
    else if (el == "version")
      cur.evr = evr_of(w.attr("epoch"), w.attr("ver"), w.attr("rel"));
    else if (el == "checksum") {
      loc.checksum_type = w.attr("type");
      pkgid = w.text();
    } else if (el == "location")
      loc.href = w.attr("href");
    else if (el == "size" && !w.attr("package").empty())
      loc.size = std::atoll(w.attr("package").c_str());
    else if (el == "sourcerpm") {
      auto s = w.text();
      constexpr std::string_view kSuffix = ".src.rpm";
      if (s.size() > kSuffix.size() && s.ends_with(kSuffix)) {
        s.resize(s.size() - kSuffix.size());
        cur.source_name = name_from_nvr(s, false);
      }
    } else if (el == "provides")
      in_provides = true;
    else if (el == "obsoletes")
      in_obsoletes = true;
    else if (el == "entry" && in_provides)
      provides.push_back(w.attr("name"));
    else if (el == "entry" && in_obsoletes)
      obsoletes.push_back(w.attr("name"));
    else if (el == "file")
      files.push_back(w.text());
  });
  if (!saw_metadata) throw core::RunError(name + ":1: not a primary.xml (no <metadata> element)");
}

void read_filelists(const std::string& data, const std::string& name, const RepodataOptions& o,
                    const std::map<std::string, std::string>& pkgid_to_name, RepodataResult& out) {
  XmlWalk w(data, name);
  std::string current;
  w.run([&](const std::string& el) {
    if (el == "package") {
      auto it = pkgid_to_name.find(w.attr("pkgid"));
      current = it == pkgid_to_name.end() ? std::string() : it->second;
    } else if (el == "file" && !current.empty()) {
      auto f = w.text();
      if (keep_file(o, f)) out.files.push_back({f, current, 0});
    }
  });
}

}  // namespace

RepodataResult import_repodata(const std::filesystem::path& input, const RepodataOptions& o) {
  LIBXML_TEST_VERSION
  RepodataResult out;
  std::map<std::string, std::string> pkgid_to_name;
  std::filesystem::path repomd;
  if (std::filesystem::is_directory(input))
    repomd = input / "repodata" / "repomd.xml";
  else if (input.filename() == "repomd.xml")
    repomd = input;
  if (repomd.empty()) {
    read_primary(read_maybe_compressed(input), input.string(), o, out, pkgid_to_name);
  } else {
    const auto base = repomd.parent_path().parent_path();  // hrefs are relative to the repo root
    std::map<std::string, std::string> href;
    {
      const auto text = read_maybe_compressed(repomd);
      XmlWalk w(text, repomd.string());
      std::string type;
      w.run([&](const std::string& el) {
        if (el == "data")
          type = w.attr("type");
        else if (el == "location" && !type.empty())
          href[type] = w.attr("href");
      });
    }
    if (!href.count("primary"))
      throw core::RunError(repomd.string() + ":1: repomd.xml lists no primary data");
    const auto primary = base / href["primary"];
    read_primary(read_maybe_compressed(primary), primary.string(), o, out, pkgid_to_name);
    if (href.count("filelists") && !o.file_prefixes.empty()) {
      const auto fl = base / href["filelists"];
      read_filelists(read_maybe_compressed(fl), fl.string(), o, pkgid_to_name, out);
    }
  }
  auto by_key = [](const auto& x, const auto& y) {
    return std::tie(x.path, x.package) < std::tie(y.path, y.package);
  };
  std::sort(out.files.begin(), out.files.end(), by_key);
  out.files.erase(std::unique(out.files.begin(), out.files.end(),
                              [](const auto& x, const auto& y) {
                                return x.path == y.path && x.package == y.package;
                              }),
                  out.files.end());
  return out;
}

std::string name_from_nvr(std::string nvr, bool has_arch) {
  if (has_arch) {
    if (auto dot = nvr.rfind('.'); dot != std::string::npos) nvr.resize(dot);
  }
  for (int i = 0; i < 2; ++i) {
    auto dash = nvr.rfind('-');
    if (dash == std::string::npos) return {};
    nvr.resize(dash);
  }
  return nvr;
}

}  // namespace premigrate::kb::importers
