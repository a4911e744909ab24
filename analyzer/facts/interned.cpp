// The process-wide string pool behind facts::Interned: text in append-only chunks, ids in
// fixed blocks whose addresses never move, so a reader needs no lock; a per-thread cache in
// front of the locked index.
#include "facts/interned.hpp"

#include <array>
#include <atomic>
#include <cassert>
#include <cstring>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace premigrate::facts {

namespace {

class Pool {
 public:
  static constexpr std::size_t kBlockBits = 16;
  static constexpr std::size_t kBlockSize = std::size_t{1} << kBlockBits;
  static constexpr std::size_t kMaxBlocks = 1 << 14;  // 2^30 ids
  static constexpr std::size_t kChunkBytes = std::size_t{256} * 1024;

  Pool() { add(std::string_view()); }  // id 0 is ""

  // Most calls find a string this thread has interned before (a library's symbol names recur in
  // every object that links it): a small per-thread cache answers them without the lock, which
  // two ELF readers would otherwise take a few hundred thousand times each and contend for. It
  // is direct-mapped with a fixed number of slots (a hash and an id each), so its memory does
  // not grow with the pool; a slot's id is checked against the pool's text, which never moves.
  std::uint32_t intern(std::string_view s) {
    if (s.empty()) return 0;
    struct Slot {
      std::size_t hash = 0;
      std::uint32_t id = 0;
    };
    static constexpr std::size_t kSlots = std::size_t{1} << 16;  // 1 MiB a thread
    thread_local std::unique_ptr<Slot[]> cache;
    if (!cache) cache = std::make_unique<Slot[]>(kSlots);
    const std::size_t h = std::hash<std::string_view>{}(s);
    Slot& slot = cache[h & (kSlots - 1)];
    if (slot.id != 0 && slot.hash == h && at(slot.id) == s) return slot.id;
    std::uint32_t id = 0;
    {
      std::lock_guard lock(mu_);
      auto it = index_.find(s);
      id = it != index_.end() ? it->second : add(s);
    }
    slot = {h, id};
    return id;
  }

  std::string_view at(std::uint32_t id) const {
    const auto* block = blocks_[id >> kBlockBits].load(std::memory_order_acquire);
    assert(block != nullptr);
    return block[id & (kBlockSize - 1)];
  }

  InternStats stats() {
    std::lock_guard lock(mu_);
    return {next_, bytes_};
  }

 private:
  // Under mu_ (or from the constructor).
  std::uint32_t add(std::string_view s) {
    const char* text = store(s);
    const auto id = static_cast<std::uint32_t>(next_);
    const std::size_t b = next_ >> kBlockBits;
    assert(b < kMaxBlocks);
    auto* block = blocks_[b].load(std::memory_order_relaxed);
    if (block == nullptr) {
      owned_blocks_.push_back(std::make_unique<std::string_view[]>(kBlockSize));
      block = owned_blocks_.back().get();
      blocks_[b].store(block, std::memory_order_release);
    }
    block[next_ & (kBlockSize - 1)] = std::string_view(text, s.size());
    ++next_;
    bytes_ += s.size();
    if (!s.empty()) index_.emplace(std::string_view(text, s.size()), id);
    return id;
  }

  const char* store(std::string_view s) {
    if (s.size() > kChunkBytes / 4) {  // large strings get their own allocation
      big_.push_back(std::make_unique<char[]>(s.size()));
      std::memcpy(big_.back().get(), s.data(), s.size());
      return big_.back().get();
    }
    if (chunks_.empty() || used_ + s.size() > kChunkBytes) {
      chunks_.push_back(std::make_unique<char[]>(kChunkBytes));
      used_ = 0;
    }
    char* at = chunks_.back().get() + used_;
    if (!s.empty()) std::memcpy(at, s.data(), s.size());
    used_ += s.size();
    return at;
  }

  std::mutex mu_;
  std::unordered_map<std::string_view, std::uint32_t> index_;
  std::vector<std::unique_ptr<char[]>> chunks_, big_;
  std::size_t used_ = 0;
  std::vector<std::unique_ptr<std::string_view[]>> owned_blocks_;
  std::array<std::atomic<std::string_view*>, kMaxBlocks> blocks_{};
  std::size_t next_ = 0;
  std::size_t bytes_ = 0;
};

Pool& pool() {
  static Pool* p = new Pool();  // never destroyed: handles may be read during static teardown
  return *p;
}

}  // namespace

Interned::Interned(std::string_view s) : id_(pool().intern(s)) {}

std::string_view Interned::view() const { return pool().at(id_); }

InternStats intern_stats() { return pool().stats(); }

}  // namespace premigrate::facts
