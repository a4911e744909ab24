// Text helpers for bytes that came off a hostile root: file names may hold newlines or bytes
// that are not UTF-8, and nlohmann::json::dump throws on invalid UTF-8.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace premigrate::core {

// Returns `raw` with every byte that is not part of a valid UTF-8 sequence, every C0 control
// byte, DEL and the backslash itself written as "\xNN" (lower-case hex). The result is valid
// UTF-8, fits on one line, and distinct inputs stay distinct. Facts and diagnostics carry
// paths in this form; lookups against other raw paths (rpmdb file lists) use the raw bytes.
[[nodiscard]] std::string printable_path(std::string_view raw);

// For text read from files (config values, commands): like printable_path but keeps
// backslashes and tabs as they are, since they are common and meaningful in such text.
[[nodiscard]] std::string printable_text(std::string_view raw);

// For terminals: C0 control bytes and DEL (ESC, CR, newline, ...) written as "\xNN", so a
// hostile string cannot move the cursor, recolour or rewrite what the terminal shows.
[[nodiscard]] std::string terminal_safe(std::string_view s);

// Lexically normalises a root-relative path: collapses "//", ".", and ".." (never above "/").
// No file system access (core::RootFs::normalize is the same function).
[[nodiscard]] std::string normalize_path(std::string_view path);
// True for a real calendar date written YYYY-MM-DD (2026-02-29 and 2026-13-45 are not).
[[nodiscard]] bool is_calendar_date(std::string_view s);
// "/" followed by the components joined with "/" ("/" for none).
[[nodiscard]] std::string join_root_path(const std::vector<std::string>& parts);

// ASCII lower case (locale-independent); other bytes are kept as they are.
[[nodiscard]] std::string ascii_lower(std::string_view s);

// True when `s` is valid UTF-8 (RFC 3629: no overlong forms, no surrogates, <= U+10FFFF).
[[nodiscard]] bool is_valid_utf8(std::string_view s);

}  // namespace premigrate::core
