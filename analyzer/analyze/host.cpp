// Host: source release detection and support, installed kernels, architecture.
#include <algorithm>

#include "analyze/context.hpp"

namespace premigrate::analyze {

void check_host(const ArchContext& c) {
  const auto& h = c.inv.host;
  if (c.source.empty() || !c.profile.source(c.source) || !c.kb) {
    Hit hit;
    hit.kind = "source_release";
    hit.attrs["status"] = c.source.empty() ? "undetected" : "unsupported";
    hit.subject = c.source.empty() ? "(undetected)" : c.source;
    hit.attrs["source"] = hit.subject;
    hit.attrs["evidence"] = h.source_release_evidence;
    hit.evidence.push_back({h.system_release.empty() ? "(no release file)" : h.system_release,
                            h.source_release_evidence.empty() ? "no release file identified the "
                                                                "source distribution"
                                                              : h.source_release_evidence});
    c.hits.push_back(std::move(hit));
  }
  if (!h.kernels.empty()) {
    Hit k;
    k.kind = "host_kernels";
    k.subject = "installed kernels";
    k.attrs["count"] = std::to_string(h.kernels.size());
    k.attrs["target_kernel"] =
        c.kb && !c.kb->kernel().version.empty() ? c.kb->kernel().version : "unknown";
    for (const auto& r : h.kernels) k.evidence.push_back({r, "installed kernel release"});
    c.hits.push_back(std::move(k));
  }
  if (!h.architectures.empty()) {
    Hit a;
    a.kind = "host_arch";
    const bool same =
        std::find(h.architectures.begin(), h.architectures.end(), c.arch) != h.architectures.end();
    a.attrs["relation"] = same ? "same" : "different";
    a.attrs["host_archs"] = "";
    for (const auto& x : h.architectures)
      a.attrs["host_archs"] += (a.attrs["host_archs"].empty() ? "" : ", ") + x;
    a.subject = "architecture " + c.arch;
    a.evidence.push_back(
        {a.attrs["host_archs"], "architectures of installed packages and ELF files"});
    c.hits.push_back(std::move(a));
  }
}

}  // namespace premigrate::analyze
