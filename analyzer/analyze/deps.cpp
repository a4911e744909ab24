// Third-party, unsigned and foreign-vendor packages: their requires resolved with libsolv
// against the target's packages (name = EVR), capabilities and files from the KB, plus the
// packages that remain (the third-party packages themselves). Rich dependencies are parsed by
// libsolv (pool_parserpmrichdep) and evaluated on libsolv's whatprovides.
#include <map>
#include <memory>
#include <set>

#include "analyze/context.hpp"
#include "core/arch.hpp"
#include "core/solv.hpp"
#include "kb/soname.hpp"

namespace premigrate::analyze {

namespace {

int rel_flags(const std::string& op) {
  int f = 0;
  if (op.find('<') != std::string::npos) f |= REL_LT;
  if (op.find('>') != std::string::npos) f |= REL_GT;
  if (op.find('=') != std::string::npos) f |= REL_EQ;
  return f;
}

Id dep_id(Pool* pool, const std::string& name, const std::string& op, const std::string& evr) {
  if (!name.empty() && name.front() == '(') return pool_parserpmrichdep(pool, name.c_str());
  const Id n = pool_str2id(pool, name.c_str(), 1);
  if (op.empty() || evr.empty()) return n;
  return pool_rel2id(pool, n, pool_str2id(pool, evr.c_str(), 1), rel_flags(op), 1);
}

// ldconfig-cache rows carry a bare soname; rpm spells the same capability with "()(64bit)".
std::string rpm_capability(const kb::Provide& p) {
  if (p.kind == "ldcache-64") return p.capability + "()(64bit)";
  return p.capability;
}

class Resolver {
 public:
  Resolver(const ArchContext& c, const std::vector<const facts::Package*>& remaining)
      : c_(c), pool_(pool_create()) {
    pool_setdisttype(pool_.get(), DISTTYPE_RPM);
    Repo* target = repo_create(pool_.get(), "target");
    std::multimap<std::string, Id> by_name;
    for (const auto& b : c.kb->all_binary_packages()) {
      if (b.arch != c.arch && b.arch != "noarch") continue;
      by_name.emplace(b.name, add(target, b.name, b.evr, b.arch));
    }
    auto add_provide = [&](const std::string& package, const std::string& cap) {
      auto [lo, hi] = by_name.equal_range(package);
      if (lo == hi) {  // a capability row whose package is not in the binary list
        lo = by_name.emplace(package, add(target, package, "", c.arch));
        hi = std::next(lo);
      }
      for (auto it = lo; it != hi; ++it) {
        Solvable* s = pool_id2solvable(pool_.get(), it->second);
        s->provides =
            repo_addid_dep(target, s->provides, pool_str2id(pool_.get(), cap.c_str(), 1), 0);
      }
    };
    for (const auto& p : c.kb->all_provides()) {
      if (p.kind == "ldcache-32" && c.arch != core::to_string(core::Arch::kX8664)) continue;
      add_provide(p.package, rpm_capability(p));
    }
    for (const auto& f : c.kb->all_files()) add_provide(f.package, f.path);
    repo_internalize(target);
    Repo* rest = repo_create(pool_.get(), "remaining");
    for (const auto* p : remaining) {
      Id id = add(rest, p->name, p->evr(), p->arch);
      Solvable* s = pool_id2solvable(pool_.get(), id);
      for (const auto& d : p->provides)
        s->provides =
            repo_addid_dep(rest, s->provides, dep_id(pool_.get(), d.name, d.op, d.evr), 0);
      for (const auto& f : p->files)
        s->provides =
            repo_addid_dep(rest, s->provides, pool_str2id(pool_.get(), f.path.c_str(), 1), 0);
    }
    repo_internalize(rest);
    pool_createwhatprovides(pool_.get());
  }

  [[nodiscard]] bool satisfied_by_name(const std::string& capability) {
    return sat(pool_str2id(pool_.get(), capability.c_str(), 1));
  }
  [[nodiscard]] bool satisfied(const facts::Dependency& d) {
    return sat(dep_id(pool_.get(), d.name, d.op, d.evr));
  }
  [[nodiscard]] std::string text(const facts::Dependency& d) {
    return pool_dep2str(pool_.get(), dep_id(pool_.get(), d.name, d.op, d.evr));
  }

 private:
  Id add(Repo* repo, const std::string& name, const std::string& evr, const std::string& arch) {
    Pool* pool = pool_.get();
    const Id id = repo_add_solvable(repo);
    Solvable* s = pool_id2solvable(pool, id);
    s->name = pool_str2id(pool, name.c_str(), 1);
    s->evr = pool_str2id(pool, evr.c_str(), 1);
    s->arch = pool_str2id(pool, arch.empty() ? "noarch" : arch.c_str(), 1);
    s->provides =
        repo_addid_dep(repo, s->provides,
                       evr.empty() ? s->name : pool_rel2id(pool, s->name, s->evr, REL_EQ, 1), 0);
    return id;
  }

  bool provided(Id dep) {
    Pool* pool = pool_.get();
    return pool->whatprovidesdata[pool_whatprovides(pool, dep)] != 0;
  }

  // Rich-dependency semantics (rpm: "Boolean Dependencies"): and/or/if/unless over leaves;
  // "with"/"without" and versioned leaves are answered by whatprovides itself.
  bool sat(Id dep) {
    Pool* pool = pool_.get();
    if (!dep) return false;
    if (ISRELDEP(dep)) {
      const Reldep* rd = GETRELDEP(pool, dep);
      switch (rd->flags) {
        case REL_AND:
          return sat(rd->name) && sat(rd->evr);
        case REL_OR:
          return sat(rd->name) || sat(rd->evr);
        case REL_COND:
        case REL_UNLESS: {
          Id cond = rd->evr, otherwise = 0;
          if (ISRELDEP(cond) && GETRELDEP(pool, cond)->flags == REL_ELSE) {
            otherwise = GETRELDEP(pool, cond)->evr;
            cond = GETRELDEP(pool, cond)->name;
          }
          const bool c = sat(cond);
          const bool active = rd->flags == REL_COND ? c : !c;
          if (active) return sat(rd->name);
          return otherwise ? sat(otherwise) : true;
        }
        default:
          return provided(dep);
      }
    }
    const std::string s = pool_id2str(pool, dep);
    if (!s.empty() && s.front() == '/') {
      for (const auto& v : c_.profile.path_variants(s))
        if (provided(pool_str2id(pool, v.c_str(), 1))) return true;
      return false;
    }
    return provided(dep);
  }

  const ArchContext& c_;
  core::SolvPool pool_;
};

const char* weakest(std::initializer_list<kb::Coverage> covs) {
  const char* w = "complete";
  for (const auto& c : covs) {
    if (c.status == kb::CoverageStatus::kUnknown) return "unknown";
    if (c.status == kb::CoverageStatus::kPartial) w = "partial";
  }
  return w;
}

// Why the KB's data cannot decide this requirement, or "" when it can: the packs keep sonames
// (with version nodes where the dataset has them) and plain capability names, never namespaced
// capabilities such as rtld(GNU_HASH), python(abi) or perl(Foo).
std::string undecidable(const ArchContext& c, Resolver& resolver, const facts::Dependency& d) {
  if (d.name.empty() || d.name.front() == '(' || d.name.front() == '/') return "";
  if (auto s = kb::parse_soname_capability(d.name, "rpm")) {
    if (s->version_node.empty()) return "";
    const std::string base = s->soname + (s->bits64 ? "()(64bit)" : "");
    if (!resolver.satisfied_by_name(base) || c.kb->soname_has_version_nodes(s->soname, s->bits64))
      return "";
    return "the target provides " + s->soname +
           " but the KB's soname data for it has no version nodes, so " + s->version_node +
           " cannot be checked";
  }
  if (d.name.find('(') == std::string::npos) return "";
  return "the KB keeps sonames and plain package capabilities only, not namespaced "
         "capabilities such as " +
         d.name.substr(0, d.name.find('(')) + "(...)";
}

}  // namespace

void check_dependencies(const ArchContext& c) {
  const auto* sp = c.profile.source(c.source);
  if (!sp) return;  // check_host reports the unsupported source; nothing is foreign to it
  std::vector<const facts::Package*> third;
  for (const auto& p : c.inv.packages) {
    if (p.arch.empty()) continue;
    auto reasons = third_party_reasons(p, sp);
    // A third-party package (EPEL's, say) that the target ships under its own name is taken
    // from the target's repository, not rebuilt: third_party_on_target says so instead.
    const auto on_target = reasons.empty() ? std::optional<Hit>() : third_party_on_target(c, p);
    if (on_target) c.hits.push_back(*on_target);
    for (const auto& r : reasons) {
      Hit h;
      h.kind = "third_party_package";
      h.subject = p.name;
      h.attrs = {{"reason", r},
                 {"name", p.name},
                 {"nevra", p.nevra()},
                 {"on_target", on_target ? "yes" : "no"},
                 {"vendor", p.vendor.empty() ? "(none)" : p.vendor},
                 {"key", p.signature ? p.signature->key_id : "(unsigned)"}};
      h.evidence.push_back(
          {p.nevra(), r + ": vendor " + h.attrs["vendor"] + ", key " + h.attrs["key"]});
      c.hits.push_back(std::move(h));
    }
    if (!reasons.empty()) third.push_back(&p);
  }
  if (third.empty() || !c.kb) return;
  const auto bin = c.coverage("binary_packages");
  const auto prov = c.coverage("provides");
  const auto files = c.coverage("files");
  if (bin.status == kb::CoverageStatus::kUnknown) {
    c.skip(Check::kThirdPartyDependencies,
           "the KB has no binary package list for this target and architecture: " + bin.reason);
    return;
  }
  const std::string cov = weakest({bin, prov, files});
  // Data the pack has none of (no file lists, no sonames: the derived aarch64 packs) cannot
  // tell a missing requirement from an unchecked one.
  const bool soname_data = std::any_of(
      c.kb->all_provides().begin(), c.kb->all_provides().end(), [](const kb::Provide& p) {
        return kb::parse_soname_capability(p.capability, p.kind).has_value();
      });
  Resolver resolver(c, third);
  for (const auto* p : third) {
    for (const auto& d : p->requires_) {
      if (d.name.rfind("rpmlib(", 0) == 0) continue;  // rpm's own features, not packages
      if (resolver.satisfied(d)) continue;
      Hit h;
      h.kind = "unresolved_dependency";
      h.subject = resolver.text(d);
      // A file requirement is answered by the file lists, any other by the capability lists.
      const bool file_dep = !d.name.empty() && d.name.front() == '/';
      std::string why = undecidable(c, resolver, d);
      if (why.empty() && file_dep && files.status == kb::CoverageStatus::kUnknown)
        why = "the KB holds no file lists for this target and architecture: " + files.reason;
      if (why.empty() && !file_dep && !soname_data && kb::parse_soname_capability(d.name, "rpm"))
        why = "the KB holds no soname data for this target and architecture";
      if (!why.empty()) {
        h.attrs = {
            {"coverage", "unverifiable"}, {"capability", h.subject}, {"coverage_reason", why}};
      } else {
        h.attrs = {{"coverage", cov == "complete" ? "complete" : "partial"},
                   {"capability", h.subject},
                   {"coverage_reason", file_dep ? files.reason : prov.reason}};
      }
      h.evidence.push_back({p->nevra(), "requires " + h.subject});
      c.hits.push_back(std::move(h));
    }
  }
}

}  // namespace premigrate::analyze
