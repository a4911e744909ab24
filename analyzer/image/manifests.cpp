// docker save's manifest.json and the OCI image index / manifest (image-spec v1.0/1.1).
#include "image/manifests.hpp"

#include <nlohmann/json.hpp>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "image/image_ref.hpp"

namespace premigrate::image {

namespace {

constexpr const char* kOciIndexType = "application/vnd.oci.image.index.v1+json";
constexpr const char* kDockerListType = "application/vnd.docker.distribution.manifest.list.v2+json";
constexpr int kMaxIndexDepth = 4;

nlohmann::json parse(const std::string& text, const std::string& what) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) throw core::RunError("the image's " + what + " is not valid JSON");
  return j;
}

std::string str(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<ImageCandidate> docker_images(const BlobSource& src) {
  const auto doc = parse(read_small(src, "manifest.json"), "manifest.json");
  if (!doc.is_array()) throw core::RunError("the image's manifest.json is not a list");
  std::vector<ImageCandidate> out;
  for (const auto& m : doc) {
    if (!m.is_object()) throw core::RunError("an entry of the image's manifest.json is no object");
    ImageCandidate c;
    c.config_name = str(m, "Config");
    if (const auto t = m.find("RepoTags"); t != m.end() && t->is_array())
      for (const auto& n : *t)
        if (n.is_string()) c.names.push_back(n.get<std::string>());
    const auto config = parse(read_small(src, c.config_name), c.config_name);
    c.config_digest = sha256_of_text(read_small(src, c.config_name));
    nlohmann::json diff_ids;
    if (const auto r = config.find("rootfs"); r != config.end() && r->is_object())
      diff_ids = r->value("diff_ids", nlohmann::json::array());
    if (const auto l = m.find("Layers"); l != m.end() && l->is_array()) {
      for (std::size_t i = 0; i < l->size(); ++i) {
        LayerRef layer;
        if ((*l)[i].is_string()) layer.name = (*l)[i].get<std::string>();
        if (diff_ids.is_array() && diff_ids.size() == l->size() && diff_ids[i].is_string())
          layer.digest = diff_ids[i].get<std::string>();
        c.layers.push_back(std::move(layer));
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

void oci_entries(const BlobSource& src, const nlohmann::json& index, const std::string& name,
                 int depth, std::vector<ImageCandidate>& out) {
  const auto m = index.find("manifests");
  if (m == index.end() || !m->is_array())
    throw core::RunError("the image index lists no manifests");
  for (const auto& d : *m) {
    if (!d.is_object()) continue;
    const std::string digest = str(d, "digest");
    const std::string media = str(d, "mediaType");
    std::string ref = name;
    if (const auto a = d.find("annotations"); a != d.end() && a->is_object()) {
      for (const char* key : {"io.containerd.image.name", "org.opencontainers.image.ref.name"})
        if (ref.empty()) ref = str(*a, key);
    }
    if (const auto p = d.find("platform"); p != d.end() && p->is_object())
      ref += (ref.empty() ? "" : " ") + ("(" + str(*p, "os") + "/" + str(*p, "architecture") + ")");
    const std::string file = blob_path(digest);
    if (file.empty())
      throw core::RunError("the image index names a manifest with an invalid digest '" +
                           core::printable_text(digest) + "'");
    const auto doc = parse(read_small(src, file), digest);
    if (media == kOciIndexType || media == kDockerListType ||
        str(doc, "mediaType") == kOciIndexType) {
      if (depth >= kMaxIndexDepth) throw core::RunError("image indexes nested too deep");
      oci_entries(src, doc, ref, depth + 1, out);
      continue;
    }
    ImageCandidate c;
    if (!ref.empty()) c.names.push_back(ref);
    c.manifest_digest = digest;
    const auto cfg = doc.value("config", nlohmann::json::object());
    c.config_digest = cfg.is_object() ? str(cfg, "digest") : "";
    c.config_name = blob_path(c.config_digest);
    const auto layers = doc.value("layers", nlohmann::json::array());
    if (!layers.is_array()) throw core::RunError("manifest " + digest + " has no layer list");
    for (const auto& l : layers) {
      LayerRef layer;
      layer.digest = l.is_object() ? str(l, "digest") : "";
      layer.name = blob_path(layer.digest);
      if (layer.name.empty())
        throw core::RunError("manifest " + digest + " names a layer with an invalid digest");
      c.layers.push_back(std::move(layer));
    }
    out.push_back(std::move(c));
  }
}

std::string label(const ImageCandidate& c) {
  std::string s;
  for (const auto& n : c.names) s += (s.empty() ? "" : " ") + n;
  if (s.empty()) s = c.manifest_digest.empty() ? c.config_digest : c.manifest_digest;
  return core::printable_text(s);
}

}  // namespace

std::string blob_path(const std::string& digest) {
  if (!valid_digest(digest)) return {};
  const auto colon = digest.find(':');
  return "blobs/" + digest.substr(0, colon) + "/" + digest.substr(colon + 1);
}

std::vector<ImageCandidate> list_images(const BlobSource& src, std::string& format) {
  if (src.has("manifest.json")) {
    format = "docker-archive";
    return docker_images(src);
  }
  if (!src.has("index.json"))
    throw core::RunError("neither manifest.json (docker save) nor index.json (OCI layout) found");
  format = "oci";
  std::vector<ImageCandidate> out;
  oci_entries(src, parse(read_small(src, "index.json"), "index.json"), "", 0, out);
  return out;
}

const ImageCandidate& select_image(const std::vector<ImageCandidate>& images,
                                   const std::string& selector, const std::string& path) {
  if (images.empty()) throw core::RunError("image " + path + " holds no image");
  if (selector.empty() && images.size() == 1) return images.front();
  if (!selector.empty()) {
    for (const auto& c : images) {
      bool hit = selector == c.manifest_digest || selector == c.config_digest;
      for (const auto& n : c.names) hit = hit || n == selector;
      if (hit) return c;
    }
  }
  std::string list;
  for (const auto& c : images) list += "\n  " + label(c);
  throw core::UsageError(
      (selector.empty()
           ? "image " + path + " holds " + std::to_string(images.size()) +
                 " images; choose one with --image " + path + "@NAME:TAG"
           : "image " + path + " holds no image named '" + core::printable_text(selector) + "'") +
      "; it holds:" + list);
}

}  // namespace premigrate::image
