// The process-wide string pool behind facts::Interned: text in append-only chunks, ids in
// fixed blocks whose addresses never move (so a reader needs no lock), the index split into
// shards with a lock each, and a per-thread cache in front of them.
#include "facts/interned.hpp"

#include <array>
#include <atomic>
#include <cassert>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

namespace premigrate::facts {

namespace {

class Pool {
 public:
  static constexpr std::size_t kBlockBits = 16;
  static constexpr std::size_t kBlockSize = std::size_t{1} << kBlockBits;
  static constexpr std::size_t kMaxBlocks = 1 << 14;  // 2^30 ids
  static constexpr std::size_t kChunkBytes = std::size_t{256} * 1024;
  // Two ELF readers interning into one index under one lock waited on each other (the scan's
  // futex time): each string belongs to one of 64 shards by its hash, each with its own lock,
  // index and text chunks, so two threads meet on a lock only when they intern new strings of
  // the same shard at the same moment.
  static constexpr std::size_t kShardBits = 6;
  static constexpr std::size_t kShards = std::size_t{1} << kShardBits;

  Pool() {
    blocks_[0].store(new_block(), std::memory_order_relaxed);  // id 0 is ""
    next_.store(1, std::memory_order_relaxed);
  }

  // Most calls find a string this thread has interned before (a library's symbol names recur in
  // every object that links it): a direct-mapped per-thread cache (fixed size, a hash and an id
  // a slot, so its memory does not grow with the pool) answers them without any lock; a slot's
  // id is checked against the pool's text, which never moves.
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
    // The cache uses the low bits of the hash; the shard takes the high ones.
    Shard& shard = shards_[(h >> (sizeof(std::size_t) * 8 - kShardBits)) & (kShards - 1)];
    std::uint32_t id = 0;
    {
      std::lock_guard lock(shard.mu);
      id = shard.find(h, s, *this);
      if (id == 0) id = add(shard, h, s);
    }
    slot = {h, id};
    return id;
  }

  std::string_view at(std::uint32_t id) const {
    const auto* block = blocks_[id >> kBlockBits].load(std::memory_order_acquire);
    assert(block != nullptr);
    return block[id & (kBlockSize - 1)];
  }

  InternStats stats() const {
    return {next_.load(std::memory_order_relaxed), bytes_.load(std::memory_order_relaxed)};
  }

 private:
  // One shard: an open-addressing table of (hash, id) pairs, at most half full, so a new
  // string costs no heap allocation of its own (the table doubles now and then).
  struct Entry {
    std::size_t hash = 0;
    std::uint32_t id = 0;
  };
  struct Shard {
    std::mutex mu;
    std::vector<Entry> table;
    std::size_t used = 0;
    std::vector<std::unique_ptr<char[]>> chunks, big;
    std::size_t chunk_used = 0;

    // The id of `s`, 0 when absent (under mu).
    std::uint32_t find(std::size_t h, std::string_view s, const Pool& pool) const {
      if (table.empty()) return 0;
      const std::size_t mask = table.size() - 1;
      for (std::size_t i = h & mask;; i = (i + 1) & mask) {
        const Entry& e = table[i];
        if (e.id == 0) return 0;
        if (e.hash == h && pool.at(e.id) == s) return e.id;
      }
    }

    void insert(std::size_t h, std::uint32_t id) {
      if ((used + 1) * 2 > table.size()) {
        std::vector<Entry> old(std::max<std::size_t>(table.size() * 2, 1024));
        old.swap(table);
        used = 0;
        for (const Entry& e : old)
          if (e.id != 0) insert(e.hash, e.id);
      }
      const std::size_t mask = table.size() - 1;
      std::size_t i = h & mask;
      while (table[i].id != 0) i = (i + 1) & mask;
      table[i] = {h, id};
      ++used;
    }

    const char* store(std::string_view s) {
      if (s.size() > kChunkBytes / 4) {  // large strings get their own allocation
        big.push_back(std::make_unique<char[]>(s.size()));
        std::memcpy(big.back().get(), s.data(), s.size());
        return big.back().get();
      }
      if (chunks.empty() || chunk_used + s.size() > kChunkBytes) {
        chunks.push_back(std::make_unique<char[]>(kChunkBytes));
        chunk_used = 0;
      }
      char* to = chunks.back().get() + chunk_used;
      std::memcpy(to, s.data(), s.size());
      chunk_used += s.size();
      return to;
    }
  };

  static std::string_view* new_block() { return new std::string_view[kBlockSize]; }

  // Under shard.mu. The id comes from one atomic counter; the slot is written before the id is
  // published in the shard's table, and a thread that finds it there took the same lock.
  std::uint32_t add(Shard& shard, std::size_t h, std::string_view s) {
    const char* text = shard.store(s);
    const std::size_t n = next_.fetch_add(1, std::memory_order_relaxed);
    const std::size_t b = n >> kBlockBits;
    assert(b < kMaxBlocks);
    auto* block = blocks_[b].load(std::memory_order_acquire);
    if (block == nullptr) {  // rare: once per 65,536 strings
      std::lock_guard lock(blocks_mu_);
      block = blocks_[b].load(std::memory_order_relaxed);
      if (block == nullptr) {
        block = new_block();
        blocks_[b].store(block, std::memory_order_release);
      }
    }
    block[n & (kBlockSize - 1)] = std::string_view(text, s.size());
    bytes_.fetch_add(s.size(), std::memory_order_relaxed);
    const auto id = static_cast<std::uint32_t>(n);
    shard.insert(h, id);
    return id;
  }

  std::array<Shard, kShards> shards_;
  std::mutex blocks_mu_;
  // Blocks are never freed: the pool lives as long as the process.
  std::array<std::atomic<std::string_view*>, kMaxBlocks> blocks_{};
  std::atomic<std::size_t> next_{0};
  std::atomic<std::size_t> bytes_{0};
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
